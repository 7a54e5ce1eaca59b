"""Demonstration tenders in every state, with offers, panels, scores and an award.

Driven through the same services people use, with times set in the past where a tender's
story needs it, so the history reads as it would have happened.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.geography import District
from socialvalue.framework.models import Measure
from socialvalue.procurement.evaluation.services import (
    consensus_record,
    score_record,
    scores_submit,
    tender_award,
)
from socialvalue.procurement.models import Bid, PanelMember, QualitativeResponse, Tender
from socialvalue.procurement.offers.services import (
    bid_start,
    bid_submit,
    bid_update,
    commitment_add,
)
from socialvalue.procurement.services import (
    tender_cancel,
    tender_close,
    tender_create,
    tender_mark_evaluated,
    tender_open,
)

COUNCIL = "Lancashire County Council"

# (code, quantity, district, activity, who delivers, when, partners, evidence)
Line = tuple[str, str, str, str, str, str, str, str]

HIGHWAYS_LINES: list[Line] = [
    (
        "NT1",
        "12",
        District.PRESTON,
        "Recruit and retain twelve operatives living in Lancashire for the length of the contract.",
        "Our HR manager with the site supervisors.",
        "Recruitment in the first quarter; retained throughout.",
        "Jobcentre Plus Preston",
        "Anonymised payroll extract with home postcodes each quarter.",
    ),
    (
        "NT4",
        "2",
        District.BURNLEY,
        "Two trainee operative posts for young people not in education, employment or training.",
        "Site supervisor as mentor.",
        "From month 3, each post for 12 months.",
        "Burnley Youth Employment Project",
        "Referral letters and payroll records.",
    ),
    (
        "NT10",
        "156",
        District.HYNDBURN,
        "Three civil engineering apprenticeships (Level 3) for the life of the contract.",
        "Training manager with Accrington and Rossendale College.",
        "September intake each year.",
        "Accrington and Rossendale College",
        "Apprenticeship agreements and college progress reports.",
    ),
    (
        "NT18",
        "850000",
        "",
        "Buy materials and plant hire from Lancashire-based suppliers.",
        "Procurement manager.",
        "Throughout the contract.",
        "",
        "Ledger extract of spend with supplier postcodes.",
    ),
    (
        "NT29",
        "240",
        District.PENDLE,
        "Staff volunteering days on community projects near our works.",
        "Our social value coordinator.",
        "Two days per quarter.",
        "Community Futures Lancashire",
        "Volunteering log signed by each project.",
    ),
    (
        "NT31",
        "45",
        "",
        "Switch the fleet's vans to electric and use HVO fuel in plant.",
        "Fleet manager.",
        "Vans by month 12; HVO from the start.",
        "",
        "Fuel records and the GHG conversion factors used.",
    ),
]

CARE_LINES: list[Line] = [
    (
        "NT1",
        "18",
        District.PENDLE,
        "Recruit care workers who live in Pendle and Burnley.",
        "Registered manager.",
        "Ongoing recruitment from contract start.",
        "Jobcentre Plus Nelson",
        "Payroll extract with home postcodes.",
    ),
    (
        "NT41",
        "100",
        "",
        "Pay every care worker on the contract at least the Real Living Wage.",
        "Finance director.",
        "From day one.",
        "Living Wage Foundation",
        "Payroll summary each quarter.",
    ),
    (
        "NT27",
        "6000",
        District.PENDLE,
        "Run a befriending scheme for isolated older people receiving care.",
        "Our community engagement officer with volunteers.",
        "Weekly sessions from month 2.",
        "Pendle Carers Network",
        "Costed breakdown of staff time and a session register.",
    ),
    (
        "NT20",
        "60",
        "",
        "Give every care worker access to a wellbeing programme.",
        "HR lead.",
        "From month 1, reviewed yearly.",
        "",
        "Programme enrolment list and provider invoices.",
    ),
]

FM_LINES: list[Line] = [
    (
        "NT1",
        "8",
        District.PRESTON,
        "Employ cleaning and caretaking staff living locally.",
        "Operations manager.",
        "From contract start.",
        "",
        "Payroll extract with postcodes.",
    ),
    (
        "NT6",
        "2",
        District.SOUTH_RIBBLE,
        "Two posts for disabled people through supported employment.",
        "HR manager with a supported employment provider.",
        "By month 6.",
        "Lancashire Skills and Employment Hub",
        "Payroll and the provider's confirmation.",
    ),
    (
        "NT88",
        "1200",
        "",
        "Reuse office furniture instead of buying new.",
        "Facilities lead.",
        "At each office move.",
        "",
        "Weighbridge tickets and reuse log.",
    ),
    (
        "NT19",
        "250000",
        "",
        "Subcontract window cleaning and grounds work to local small firms.",
        "Procurement lead.",
        "Throughout.",
        "Red Rose Business Growth Hub",
        "Invoices with supplier size declarations.",
    ),
]


def _measure(tender: Tender, code: str) -> Measure:
    return Measure.objects.get(version=tender.framework_version, code=code)


def _offer(
    tender: Tender,
    supplier: Organisation,
    by: User,
    price: str,
    lines: list[Line],
    *,
    scale: Decimal = Decimal(1),
    submit_at: datetime | None,
) -> Bid:
    now = submit_at or timezone.now()
    bid = bid_start(tender=tender, supplier=supplier, by=by, now=now)
    bid_update(bid=bid, by=by, price=Decimal(price), now=now)
    for code, quantity, district, activity, who, when, partners, evidence in lines:
        commitment_add(
            bid=bid,
            by=by,
            measure=_measure(tender, code),
            quantity=(Decimal(quantity) * scale).quantize(Decimal("0.01")),
            activity=activity,
            who_delivers=who,
            timing=when,
            partners=partners,
            evidence=evidence,
            target_district=str(district),
            now=now,
        )
    if submit_at is not None:
        bid_submit(bid=bid, by=by, now=submit_at)
    return bid


def _tender(
    officer: User, reference: str, *, deadline: datetime, opened: datetime | None, **fields: Any
) -> Tender:
    tender = tender_create(
        organisation=officer.organisation,  # type: ignore[arg-type]
        created_by=officer,
        reference=reference,
        deadline=deadline,
        **fields,
    )
    if opened is not None:
        tender = tender_open(tender=tender, now=opened)
    return tender


def _score_all(tender: Tender, evaluator: User, scores: dict[str, int], *, submit: bool) -> None:
    for response in QualitativeResponse.objects.filter(
        commitment__bid__tender=tender, commitment__bid__status=Bid.Status.SUBMITTED
    ).select_related("commitment__measure", "commitment__bid__supplier"):
        key = f"{response.commitment.bid.supplier.name}:{response.commitment.measure.code}"
        score = scores.get(key, 3)
        score_record(
            response=response,
            evaluator=evaluator,
            score=score,
            justification=_justification(score),
        )
    if submit:
        scores_submit(tender=tender, evaluator=evaluator)


def _justification(score: int) -> str:
    return {
        0: "No credible plan.",
        1: "Little detail on who will deliver or how it will be evidenced.",
        2: "Plausible but vague on timing and evidence.",
        3: "Clear on what, who and when, with some gaps in evidence.",
        4: "Specific, realistic plan with named partners and evidence.",
        5: "Detailed, well-evidenced plan targeted at local needs.",
    }[score]


def procurement_demo() -> None:
    council = Organisation.objects.get(name=COUNCIL)
    if Tender.objects.filter(organisation=council, reference="LCC-2026-012").exists():
        return
    alice = User.objects.get(email="officer@lancashire.example")
    erin = User.objects.get(email="evaluator@lancashire.example")
    lucy = User.objects.get(email="lead@lancashire.example")
    suppliers = {o.name: o for o in Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER)}
    users = {
        u.organisation.name: u  # type: ignore[union-attr]
        for u in User.objects.filter(role=User.Role.SUPPLIER).select_related("organisation")
    }
    ribble, northern = suppliers["Ribble Highways Ltd"], suppliers["Northern Civils plc"]
    pendle, fylde = (
        suppliers["Pendle Care Partnership CIC"],
        suppliers["Fylde Coast Facilities Group"],
    )
    now = timezone.now()
    highways = alice.service_area.directorate if alice.service_area else None

    # Draft: still being prepared.
    _tender(
        alice,
        "LCC-2026-031",
        deadline=now + timedelta(days=45),
        opened=None,
        title="Schools ICT managed service",
        description="Managed ICT service for 120 maintained schools, including devices, "
        "network support and a service desk.",
        category=Tender.Category.ICT,
        estimated_value=Decimal("850000.00"),
        duration_months=48,
    )

    # Open, below the threshold: social value optional, a light 5% weighting.
    _tender(
        alice,
        "LCC-2026-035",
        deadline=now + timedelta(days=12),
        opened=now - timedelta(days=9),
        title="Community events photography",
        description="Photography for council community events across the county.",
        category=Tender.Category.PROFESSIONAL_SERVICES,
        estimated_value=Decimal("45000.00"),
        duration_months=12,
        sv_weighting=Decimal("5.00"),
    )

    # Open: offers are sealed until the deadline.
    drainage = _tender(
        alice,
        "LCC-2026-027",
        deadline=now + timedelta(days=18),
        opened=now - timedelta(days=10),
        title="Highways drainage and gully cleansing",
        description="Routine and reactive gully cleansing and drainage repairs, county-wide.",
        category=Tender.Category.HIGHWAYS,
        estimated_value=Decimal("2400000.00"),
        duration_months=36,
        directorate=highways,
        service_area=alice.service_area,
    )
    _offer(
        drainage,
        ribble,
        users[ribble.name],
        "2310000.00",
        HIGHWAYS_LINES[:4],
        submit_at=now - timedelta(days=2),
    )
    _offer(
        drainage, northern, users[northern.name], "2250000.00", HIGHWAYS_LINES[:2], submit_at=None
    )

    # Closed: the panel is scoring.
    fm = _tender(
        alice,
        "LCC-2026-019",
        deadline=now - timedelta(days=6),
        opened=now - timedelta(days=40),
        title="Facilities management for county offices",
        description="Cleaning, caretaking and minor works for 14 county council offices.",
        category=Tender.Category.FACILITIES,
        estimated_value=Decimal("1600000.00"),
        duration_months=36,
    )
    _offer(fm, fylde, users[fylde.name], "1540000.00", FM_LINES, submit_at=now - timedelta(days=8))
    _offer(
        fm,
        northern,
        users[northern.name],
        "1495000.00",
        FM_LINES[:2],
        scale=Decimal("1.5"),
        submit_at=now - timedelta(days=7),
    )
    tender_close(tender=fm)
    PanelMember.objects.create(tender=fm, user=erin)
    PanelMember.objects.create(tender=fm, user=lucy, is_moderator=True)
    _score_all(fm, erin, {}, submit=False)

    # Evaluated: scored and moderated, ready to award.
    resurfacing = _tender(
        alice,
        "LCC-2026-012",
        deadline=now - timedelta(days=20),
        opened=now - timedelta(days=60),
        title="Carriageway resurfacing programme 2026-29",
        description="Planned resurfacing of A and B roads, with surface dressing.",
        category=Tender.Category.HIGHWAYS,
        estimated_value=Decimal("5000000.00"),
        duration_months=36,
        sv_weighting=Decimal("15.00"),
        directorate=highways,
        service_area=alice.service_area,
    )
    _offer(
        resurfacing,
        ribble,
        users[ribble.name],
        "4820000.00",
        HIGHWAYS_LINES,
        submit_at=now - timedelta(days=22),
    )
    _offer(
        resurfacing,
        northern,
        users[northern.name],
        "4650000.00",
        HIGHWAYS_LINES[:4],
        scale=Decimal("1.25"),
        submit_at=now - timedelta(days=21),
    )
    _offer(
        resurfacing,
        fylde,
        users[fylde.name],
        "4990000.00",
        FM_LINES[:2],
        submit_at=now - timedelta(days=21),
    )
    tender_close(tender=resurfacing)
    PanelMember.objects.create(tender=resurfacing, user=erin)
    PanelMember.objects.create(tender=resurfacing, user=lucy, is_moderator=True)
    weak = {
        f"{northern.name}:NT10": 1,
        f"{northern.name}:NT4": 2,
        f"{ribble.name}:NT1": 4,
        f"{ribble.name}:NT10": 5,
        f"{fylde.name}:NT6": 2,
    }
    _score_all(resurfacing, erin, weak, submit=True)
    _score_all(resurfacing, lucy, weak, submit=True)
    for response in QualitativeResponse.objects.filter(commitment__bid__tender=resurfacing):
        key = f"{response.commitment.bid.supplier.name}:{response.commitment.measure.code}"
        consensus_record(
            response=response,
            by=lucy,
            score=weak.get(key, 3),
            rationale="Panel agreed after discussion of both evaluators' notes.",
        )
    tender_mark_evaluated(tender=resurfacing)

    # Awarded: the supported-living contract is live.
    care = _tender(
        alice,
        "LCC-2025-044",
        deadline=now - timedelta(days=150),
        opened=now - timedelta(days=200),
        title="Supported living — adult social care, Pendle and Burnley",
        description="Supported living for adults with learning disabilities in Pendle and Burnley.",
        category=Tender.Category.ADULT_SOCIAL_CARE,
        estimated_value=Decimal("3200000.00"),
        duration_months=48,
    )
    _offer(
        care,
        pendle,
        users[pendle.name],
        "3150000.00",
        CARE_LINES,
        submit_at=now - timedelta(days=152),
    )
    _offer(
        care,
        fylde,
        users[fylde.name],
        "3050000.00",
        CARE_LINES[:2],
        submit_at=now - timedelta(days=151),
    )
    tender_close(tender=care)
    PanelMember.objects.create(tender=care, user=erin)
    PanelMember.objects.create(tender=care, user=lucy, is_moderator=True)
    care_scores = {f"{pendle.name}:NT27": 5, f"{pendle.name}:NT1": 4, f"{fylde.name}:NT1": 2}
    _score_all(care, erin, care_scores, submit=True)
    _score_all(care, lucy, care_scores, submit=True)
    for response in QualitativeResponse.objects.filter(commitment__bid__tender=care):
        key = f"{response.commitment.bid.supplier.name}:{response.commitment.measure.code}"
        consensus_record(
            response=response,
            by=lucy,
            score=care_scores.get(key, 3),
            rationale="Consensus at the moderation meeting.",
        )
    tender_mark_evaluated(tender=care)
    start = (now - timedelta(days=120)).date()
    tender_award(
        tender=care,
        by=alice,
        start_date=date(start.year, start.month, 1),
        contract_manager=User.objects.get(email="officer2@lancashire.example"),
    )

    # Cancelled.
    kiosks = _tender(
        alice,
        "LCC-2026-008",
        deadline=now + timedelta(days=5),
        opened=now - timedelta(days=20),
        title="Library self-service kiosks",
        description="Supply and support of self-service kiosks for 20 libraries.",
        category=Tender.Category.GOODS,
        estimated_value=Decimal("120000.00"),
        duration_months=24,
    )
    tender_cancel(
        tender=kiosks, reason="The requirement is being met through a national framework instead."
    )
