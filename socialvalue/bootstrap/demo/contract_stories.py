"""The demo's contracts and the story of each of their returns (see ``contracts.py``).

Quarters are counted from the current one: a story for quarter 2 is about the quarter two
before the current one, and a contract from -6 to 5 starts six quarters ago.
"""

from dataclasses import dataclass

from socialvalue.contracts.models import Contract
from socialvalue.core.geography import District

COUNCIL = "Lancashire County Council"
BLACKPOOL = "Blackpool Council"
AWARDED = "LCC-2025-044"


@dataclass(frozen=True)
class DemoContract:
    reference: str
    buyer: str
    supplier: str
    title: str
    lever: str
    value: str
    service_area: str
    manager: str  # the contract manager's email; they verify the contract's lines
    first: int  # the quarter it starts in, counted from the current one
    last: int  # the quarter it ends in
    targets: tuple[tuple[str, str], ...]
    category: str = ""  # a procurement category, as tenders have


CONTRACTS = [
    DemoContract(
        reference="LCC-2023-118",
        buyer=COUNCIL,
        supplier="Ribble Highways Ltd",
        title="Winter highways maintenance and gritting",
        lever=Contract.Lever.PROCUREMENT,
        value="2750000.00",
        service_area="Highways",
        manager="officer@lancashire.example",
        first=-6,
        last=5,
        category="highways",
        targets=(("NT1", "12"), ("NT10", "624"), ("NT18", "1200000"), ("NT29", "480")),
    ),
    DemoContract(
        reference="LCC-GR-2024-07",
        buyer=COUNCIL,
        supplier="Pendle Care Partnership CIC",
        title="Community befriending and wellbeing grant",
        lever=Contract.Lever.GRANT,
        value="180000.00",
        service_area="Public Health",
        manager="officer2@lancashire.example",
        first=-5,
        last=2,
        category="public_health",
        targets=(("NT27", "24000"), ("NT29", "800")),
    ),
    DemoContract(
        reference="PL-2023-0457",
        buyer=COUNCIL,
        supplier="Northern Civils plc",
        title="Section 106 employment and skills plan: Cuerden Valley housing",
        lever=Contract.Lever.PLANNING,
        value="8500000.00",
        service_area="Design and Construction",
        manager="officer@lancashire.example",
        first=-6,
        last=6,
        category="construction",
        targets=(("NT1", "26"), ("NT10", "1300"), ("NT18", "2600000"), ("NT8", "260")),
    ),
    DemoContract(
        reference="BC-2024-019",
        buyer=BLACKPOOL,
        supplier="Fylde Coast Facilities Group",
        title="Promenade and seafront facilities management",
        lever=Contract.Lever.PROCUREMENT,
        value="960000.00",
        service_area="Highways and Traffic",
        manager="officer@blackpool.example",
        first=-4,
        last=3,
        category="facilities",
        targets=(("NT1", "8"), ("NT6", "2"), ("NT88", "4000"), ("NT19", "240000")),
    ),
]


@dataclass(frozen=True)
class Row:
    """A line of a demo return and what became of it.

    ``outcome``: "" (left as it is), "verified", "rejected", "queried" (still open) or
    "answered" (queried, answered with evidence, then verified). ``quantity`` "profile"
    reports exactly the quarter's profiled target.
    """

    contract: str
    code: str
    quantity: str
    district: str
    narrative: str
    outcome: str = ""
    message: str = ""
    evidence: str = ""  # "pdf", "png" or "csv"


# How a return was submitted: on time, late, as a nil return, or not at all ("").
ON_TIME, LATE, NIL, NIL_LATE = "on_time", "late", "nil", "nil_late"
# What became of a line.
VERIFIED, REJECTED, QUERIED, ANSWERED = "verified", "rejected", "queried", "answered"

P, B, C, H = District.PRESTON, District.BURNLEY, District.CHORLEY, District.PENDLE
BP, SR, OUT = District.BLACKPOOL, District.SOUTH_RIBBLE, District.OUTSIDE
R, G, N, F = "LCC-2023-118", "LCC-GR-2024-07", "PL-2023-0457", "BC-2024-019"
RIBBLE, PENDLE = "Ribble Highways Ltd", "Pendle Care Partnership CIC"
NORTHERN, FYLDE = "Northern Civils plc", "Fylde Coast Facilities Group"

GOLF_CLUB = (
    "A private golf club's charity day is not a local community project, and it was outside "
    "Lancashire."
)
POSTCODES = "Please send the payroll extract showing the drivers' home postcodes."
POSTCODES_ANSWER = (
    "Attached: the payroll extract with home postcodes. All three drivers live in Preston and "
    "each works half time, so 1.5 FTE is right."
)
APPRENTICE_WEEKS = (
    "56 weeks for four apprentices is more than a quarter allows (13 weeks each). Please "
    "check the figure and send the college's attendance record."
)
MANCHESTER = (
    "The payroll extract shows both site managers live in Manchester, so they are not local "
    "employees."
)
LIVING_WAGE = "Every care worker on the contract is paid at least the Real Living Wage."

# (supplier, quarters before the current one, how it was submitted): its lines.
STORIES: dict[tuple[str, int, str], list[Row]] = {
    # Ribble Highways: reports every quarter and delivers a little over its profile.
    (RIBBLE, 6, ON_TIME): [
        Row(R, "NT1", "1", P, "Gritter driver from Preston hired.", VERIFIED),
        Row(R, "NT10", "52", P, "Four Level 3 civil engineering apprentices.", VERIFIED),
        Row(R, "NT18", "131250", P, "Salt and plant hire, local firms.", VERIFIED, evidence="pdf"),
        Row(R, "NT29", "44", B, "Snow wardens with Burnley parish councils.", VERIFIED),
    ],
    (RIBBLE, 5, ON_TIME): [
        Row(R, "NT1", "1.2", P, "Depot operative from Preston retained.", VERIFIED),
        Row(R, "NT10", "52", P, "Apprentices' second quarter.", VERIFIED),
        Row(R, "NT18", "128400", C, "Local quarry and haulage.", VERIFIED),
        Row(R, "NT29", "60", OUT, "Team day at a golf club's charity open.", REJECTED, GOLF_CLUB),
    ],
    (RIBBLE, 4, ON_TIME): [
        Row(R, "NT1", "1.5", P, "Three part-time drivers from Preston.", ANSWERED, POSTCODES),
        Row(R, "NT10", "52", P, "Apprentices' third quarter.", VERIFIED),
        Row(R, "NT18", "142900", P, "Winter stock bought early, locally.", VERIFIED),
        Row(R, "NT29", "42", B, "Clearing paths at care homes.", VERIFIED, evidence="csv"),
    ],
    (RIBBLE, 3, ON_TIME): [
        Row(R, "NT1", "1", P, "Drivers retained.", VERIFIED),
        Row(R, "NT10", "50", P, "One apprentice off sick for two weeks.", VERIFIED),
        Row(R, "NT18", "126300", P, "Plant hire and salt.", VERIFIED),
        Row(R, "NT29", "40", H, "Community litter picks in Nelson.", VERIFIED),
    ],
    (RIBBLE, 2, LATE): [
        Row(R, "NT1", "1", P, "Drivers retained.", VERIFIED),
        Row(R, "NT10", "56", P, "Four apprentices, full quarter.", QUERIED, APPRENTICE_WEEKS),
        Row(R, "NT18", "133100", P, "Local supply chain spend.", VERIFIED),
        Row(R, "NT29", "40", H, "Litter picks in Nelson.", VERIFIED),
    ],
    (RIBBLE, 1, ON_TIME): [
        Row(R, "NT1", "1", P, "Drivers retained."),
        Row(R, "NT10", "52", P, "Apprentices' seventh quarter."),
        Row(R, "NT18", "118600", P, "Salt, plant hire and haulage.", evidence="pdf"),
    ],
    (RIBBLE, 0, ""): [Row(R, "NT18", "41200", P, "Salt restocked (so far this quarter).")],
    # Pendle Care: a grant with a nil quarter, then the awarded supported-living contract too.
    (PENDLE, 5, ON_TIME): [
        Row(G, "NT27", "3100", H, "Weekly befriending lunches in Nelson.", VERIFIED),
        Row(G, "NT29", "96", H, "Volunteer drivers for the lunches.", VERIFIED),
    ],
    (PENDLE, 4, NIL): [],
    (PENDLE, 3, ON_TIME): [
        Row(G, "NT27", "2600", H, "Befriending calls and outings.", VERIFIED, evidence="png"),
        Row(G, "NT29", "110", B, "Volunteer befrienders in Burnley.", VERIFIED),
    ],
    (PENDLE, 2, ON_TIME): [
        Row(G, "NT27", "2900", H, "Befriending lunches and calls.", VERIFIED),
        Row(G, "NT29", "80", H, "Volunteer drivers.", VERIFIED),
        Row(AWARDED, "NT1", "profile", H, "Care workers from Pendle hired.", VERIFIED),
        Row(AWARDED, "NT27", "profile", H, "Befriending for people we support.", VERIFIED),
    ],
    (PENDLE, 1, ON_TIME): [
        Row(G, "NT27", "3000", H, "Befriending lunches and calls.", VERIFIED),
        Row(G, "NT29", "90", H, "Volunteer drivers."),
        Row(AWARDED, "NT1", "profile", H, "Care workers from Pendle and Burnley.", VERIFIED),
        Row(AWARDED, "NT41", "profile", H, LIVING_WAGE, evidence="pdf"),
        Row(AWARDED, "NT27", "profile", H, "Befriending for people we support.", VERIFIED),
        Row(AWARDED, "NT20", "profile", B, "Wellbeing programme for care workers."),
    ],
    # Northern Civils: a planning obligation falling behind, late and then overdue.
    (NORTHERN, 6, LATE): [
        Row(N, "NT1", "1", C, "Site labourer from Chorley.", VERIFIED),
        Row(N, "NT10", "39", C, "Three groundworks apprentices.", VERIFIED),
        Row(N, "NT18", "60000", C, "Concrete from a local supplier.", VERIFIED),
    ],
    (NORTHERN, 5, ON_TIME): [
        Row(N, "NT1", "2", OUT, "Two site managers.", REJECTED, MANCHESTER),
        Row(N, "NT8", "12", C, "Careers talks at Clayton Brook primary school.", VERIFIED),
        Row(N, "NT18", "75000", C, "Local groundworks subcontractor.", VERIFIED),
    ],
    (NORTHERN, 4, NIL_LATE): [],
    (NORTHERN, 3, LATE): [
        Row(N, "NT10", "26", C, "Two apprentices (one left).", VERIFIED),
        Row(N, "NT18", "90000", SR, "Bricks and timber from South Ribble."),
    ],
    (NORTHERN, 2, ""): [],
    (NORTHERN, 1, ""): [Row(N, "NT18", "45000", C, "Local spend (draft).")],
    # Fylde Coast Facilities for Blackpool Council: a nil first quarter, then steady.
    (FYLDE, 4, NIL): [],
    (FYLDE, 3, LATE): [
        Row(F, "NT1", "1", BP, "Seafront cleaner from Blackpool.", VERIFIED),
        Row(F, "NT19", "28500", BP, "Window cleaning by a local micro business.", VERIFIED),
        Row(F, "NT88", "800", BP, "Benches refurbished instead of replaced.", VERIFIED),
    ],
    (FYLDE, 2, ON_TIME): [
        Row(F, "NT1", "1", BP, "Cleaner retained.", VERIFIED),
        Row(F, "NT6", "0.5", BP, "Caretaker through supported employment.", VERIFIED),
        Row(F, "NT19", "33000", BP, "Grounds work by local small firms.", VERIFIED),
        Row(F, "NT88", "700", BP, "Shelters' panels reused.", VERIFIED),
    ],
    (FYLDE, 1, ON_TIME): [
        Row(F, "NT1", "1", BP, "Cleaner retained."),
        Row(F, "NT19", "31000", BP, "Grounds work by local small firms."),
        Row(F, "NT88", "500", BP, "Railings reused.", VERIFIED),
    ],
}
