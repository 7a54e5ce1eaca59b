"""Demonstration case studies: four published over the last four quarters (one a quarter, as
the strategy asks), one waiting for the lead's review and one draft.

Authors, organisations and the contract come from the accounts and procurement demos, found by
email, name and reference; a case study whose author is missing is skipped. Photographs are
simple illustrations drawn here with Pillow. Idempotent: case studies are found by title.
"""

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from socialvalue.accounts.models import User
from socialvalue.bootstrap.demo.procurement import procurement_demo
from socialvalue.contracts.models import Contract
from socialvalue.core.geography import District
from socialvalue.stories.images import PreparedImage, image_prepare
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.services import (
    case_study_publish,
    case_study_save,
    case_study_submit,
)

LEAD_EMAIL = "lead@lancashire.example"

# The service's palette (GOV.UK Frontend colours).
TEAL = (21, 129, 135)
BLUE = (29, 112, 184)
DARK_BLUE = (15, 56, 92)
GREEN = (15, 122, 82)
YELLOW = (255, 221, 0)
PURPLE = (84, 49, 159)
LIGHT = (244, 248, 251)
GREY = (80, 90, 95)
WHITE = (255, 255, 255)
SIZE = (960, 540)

Drawing = Callable[[ImageDraw.ImageDraw], None]


def _person(draw: ImageDraw.ImageDraw, x: int, y: int, colour: tuple[int, int, int]) -> None:
    """A simple figure standing on the line ``y``: a head and a rounded body."""
    draw.ellipse((x - 28, y - 230, x + 28, y - 174), fill=colour)
    draw.rounded_rectangle((x - 50, y - 165, x + 50, y), radius=40, fill=colour)


def _befriending(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 400, 960, 540), fill=GREEN)
    draw.polygon([(560, 210), (760, 90), (910, 210)], fill=DARK_BLUE)
    draw.rectangle((590, 210, 880, 400), fill=WHITE)
    draw.rectangle((700, 290, 770, 400), fill=TEAL)
    draw.rectangle((610, 240, 670, 290), fill=BLUE)
    draw.rectangle((800, 240, 860, 290), fill=BLUE)
    draw.rounded_rectangle((140, 330, 470, 360), radius=10, fill=GREY)
    _person(draw, 230, 400, TEAL)
    _person(draw, 380, 400, PURPLE)
    draw.ellipse((60, 50, 170, 160), fill=YELLOW)


def _highways(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 960, 300), fill=(200, 225, 240))
    draw.polygon([(0, 540), (960, 540), (960, 300), (0, 300)], fill=GREY)
    for x in range(30, 960, 160):
        draw.rectangle((x, 410, x + 90, 428), fill=YELLOW)
    _person(draw, 700, 360, YELLOW)
    draw.rectangle((650, 250, 750, 270), fill=WHITE)
    _person(draw, 820, 360, YELLOW)
    draw.rectangle((770, 250, 870, 270), fill=WHITE)
    draw.polygon([(120, 360), (160, 260), (200, 360)], fill=(244, 119, 56))


def _reuse(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 440, 960, 540), fill=DARK_BLUE)
    for n, colour in enumerate((BLUE, TEAL, PURPLE)):
        top = 380 - n * 90
        draw.rectangle((120, top, 420, top + 20), fill=colour)
        draw.rectangle((140, top + 20, 160, top + 80), fill=colour)
        draw.rectangle((380, top + 20, 400, top + 80), fill=colour)
    draw.ellipse((560, 150, 860, 450), outline=GREEN, width=36)
    draw.polygon([(820, 140), (900, 190), (810, 230)], fill=GREEN)
    draw.polygon([(600, 460), (520, 410), (610, 370)], fill=GREEN)


def _volunteering(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 960, 380), fill=(210, 235, 225))
    draw.rectangle((0, 380, 960, 540), fill=GREEN)
    for x, height in ((120, 220), (300, 280), (820, 240)):
        draw.rectangle((x - 14, 380 - height // 2, x + 14, 380), fill=(110, 70, 40))
        draw.ellipse((x - 80, 380 - height, x + 80, 380 - height // 2 + 40), fill=TEAL)
    _person(draw, 520, 470, BLUE)
    _person(draw, 650, 470, PURPLE)
    draw.rectangle((560, 430, 610, 470), fill=(110, 70, 40))


def _picture(drawing: Drawing) -> PreparedImage:
    image = Image.new("RGB", SIZE, LIGHT)
    drawing(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return image_prepare(out.getvalue())


def _quarter_start(moment: datetime, back: int) -> datetime:
    """The start of the quarter ``back`` quarters before the one ``moment`` is in (financial
    quarters begin in April, July, October and January, as calendar quarters do)."""
    local = timezone.localtime(moment)
    index = local.year * 4 + (local.month - 1) // 3 - back
    year, quarter = divmod(index, 4)
    return local.replace(
        year=year, month=quarter * 3 + 1, day=1, hour=10, minute=0, second=0, microsecond=0
    )


def _published_at(now: datetime, back: int) -> datetime:
    """A moment in the quarter ``back`` quarters ago; in the current quarter, before now."""
    start = _quarter_start(now, back)
    if back == 0:
        return start + (now - start) / 2
    return start + timedelta(days=30)


PUBLISHED: list[dict[str, Any]] = [
    {
        "author": "supplier@pendlecare.example",
        "contract": "LCC-2025-044",
        "quarters_ago": 0,
        "drawing": _befriending,
        "title": "Befriending keeps older people in Pendle connected",
        "district": District.PENDLE,
        "theme_slugs": ["community-building-health-and-wellbeing"],
        "measure_codes": ["NT27", "NT29"],
        "summary": (
            "Support workers on the supported-living contract set up a befriending scheme "
            "that now matches 34 older people living alone with a weekly visitor."
        ),
        "challenge": (
            "Many older people in Nelson and Colne live alone, and some see nobody from one "
            "week to the next. Local GPs told us loneliness was behind a growing number of "
            "appointments.\n\nOur tenants with learning disabilities also wanted more chances "
            "to get involved in their community."
        ),
        "what_was_done": (
            "With **Pendle Carers Network** we recruited and trained volunteers from our own "
            "staff and from the people we support. Each volunteer is matched with an older "
            "person nearby for a weekly visit or phone call.\n\n"
            "- two training sessions for every volunteer, including safeguarding\n"
            "- a monthly coffee morning at Nelson library for everyone in the scheme\n"
            "- a named coordinator at the Carers Network for any worries"
        ),
        "outcomes": (
            "In its first six months the scheme matched 34 older people with a befriender. "
            "In a survey, 28 of them said they felt less lonely.\n\nThree of our tenants now "
            "volunteer every week, and one has gone on to paid work as a care assistant."
        ),
        "figures": [
            {"label": "Older people matched with a befriender", "value": "34", "unit": ""},
            {"label": "Volunteering", "value": "1120", "unit": "hours"},
            {"label": "Said they felt less lonely", "value": "82", "unit": "%"},
        ],
        "quote": (
            "I look forward to Thursdays now. We talk about everything, and she's helped me "
            "get back to the library."
        ),
        "quote_attribution": "Margaret, 84, from Colne",
        "image_alt": "Illustration of two people sitting together on a bench beside a house",
    },
    {
        "author": "supplier@ribblehighways.example",
        "contract": None,
        "quarters_ago": 1,
        "drawing": _highways,
        "title": "Six local apprentices join the Hyndburn highways crews",
        "district": District.HYNDBURN,
        "theme_slugs": ["employment-and-skills"],
        "measure_codes": ["NT10", "NT1", "NT8"],
        "summary": (
            "Ribble Highways recruited six apprentices from Accrington and Oswaldtwistle, "
            "working towards a Level 2 highways maintenance qualification."
        ),
        "challenge": (
            "Young people in Hyndburn face some of the highest levels of employment "
            "deprivation in Lancashire, and local highways firms struggle to recruit skilled "
            "operatives."
        ),
        "what_was_done": (
            "We worked with Accrington and Rossendale College and the **Lancashire Skills and "
            "Employment Hub** to advertise six apprenticeships to local school leavers. Our "
            "site supervisors gave careers talks at two secondary schools before recruiting."
        ),
        "outcomes": (
            "All six apprentices are still with us after a year, and two have already passed "
            "their first practical assessments."
        ),
        "figures": [
            {"label": "Apprentices recruited", "value": "6", "unit": ""},
            {"label": "Apprenticeship weeks delivered", "value": "312", "unit": "weeks"},
            {"label": "Careers talks in local schools", "value": "24", "unit": "hours"},
        ],
        "quote": (
            "I didn't know you could get paid to learn a trade like this. Now I'm out on the "
            "roads I drive on every day."
        ),
        "quote_attribution": "Jordan, apprentice highways operative",
        "image_alt": "Illustration of two road workers in yellow safety jackets beside a road",
    },
    {
        "author": "supplier@fyldecoastfacilities.example",
        "contract": None,
        "quarters_ago": 2,
        "drawing": _reuse,
        "title": "Office furniture finds a second life in community groups",
        "district": District.PRESTON,
        "theme_slugs": ["environment-sustainability"],
        "measure_codes": ["NT88", "NT28"],
        "summary": (
            "When county offices in Preston were refurbished, 9 tonnes of desks, chairs and "
            "cupboards went to local charities instead of landfill."
        ),
        "challenge": (
            "Refurbishing offices produces a lot of furniture that still has years of use in "
            "it. Sending it to landfill costs money and wastes materials."
        ),
        "what_was_done": (
            "Our facilities team listed every item before the work started and offered them "
            "to community groups through **Community Futures Lancashire**. Groups chose what "
            "they needed and our caretakers delivered it."
        ),
        "outcomes": (
            "Eighteen groups, from a youth club to a food bank, furnished rooms at no cost. "
            "Only broken items were recycled."
        ),
        "figures": [
            {"label": "Furniture reused", "value": "9200", "unit": "kg"},
            {"label": "Community groups supplied", "value": "18", "unit": ""},
        ],
        "quote": "We've turned an empty room into a homework club with the desks we were given.",
        "quote_attribution": "Volunteer, Deepdale youth club",
        "image_alt": "Illustration of three office desks stacked beside a green recycling sign",
    },
    {
        "author": "supplier@redrosedigital.example",
        "contract": None,
        "quarters_ago": 3,
        "drawing": _volunteering,
        "title": "Staff volunteers plant a community orchard in Lancaster",
        "district": District.LANCASTER,
        "theme_slugs": ["community-building-health-and-wellbeing", "environment-sustainability"],
        "measure_codes": ["NT29", "NT86"],
        "summary": (
            "Every member of staff at Red Rose Digital gave a day to plant and look after a "
            "community orchard with local residents."
        ),
        "challenge": (
            "Residents of the Marsh estate asked for a green space where families could meet, "
            "but the local residents' association had no funds or volunteers to create one."
        ),
        "what_was_done": (
            "Our team of twelve worked alongside residents over four volunteering days, "
            "planting fruit trees and building raised beds, with rangers from **Ribble Rivers "
            "Nature Trust** showing us how."
        ),
        "outcomes": "The orchard now has 30 trees and a rota of residents who look after it.",
        "figures": [
            {"label": "Volunteering", "value": "96", "unit": "hours"},
            {"label": "Fruit trees planted", "value": "30", "unit": ""},
        ],
        "quote": "",
        "quote_attribution": "",
        "image_alt": "Illustration of two people planting a tree in a park",
    },
]

SUBMITTED: dict[str, Any] = {
    "author": "officer@lancashire.example",
    "contract": None,
    "title": "Meet-the-buyer day opens highways work to local firms",
    "district": District.PRESTON,
    "theme_slugs": ["economic-prosperity"],
    "measure_codes": ["NT19"],
    "summary": (
        "Forty small Lancashire firms met the council's main highways contractors to find "
        "subcontracting work."
    ),
    "challenge": "Small local firms rarely hear about subcontracting work on big contracts.",
    "what_was_done": (
        "The highways team and the **Red Rose Business Growth Hub** held a meet-the-buyer day "
        "at County Hall with the main contractors."
    ),
    "outcomes": "Eleven firms have since been added to contractors' approved supplier lists.",
    "figures": [
        {"label": "Small firms attending", "value": "40", "unit": ""},
        {"label": "Firms added to supplier lists", "value": "11", "unit": ""},
    ],
    "quote": "",
    "quote_attribution": "",
    "image_alt": "",
}

DRAFT: dict[str, Any] = {
    "author": "supplier@ribblehighways.example",
    "contract": None,
    "title": "Wildflower verges along the A6 in Chorley",
    "district": District.CHORLEY,
    "theme_slugs": ["environment-sustainability"],
    "measure_codes": ["NT85"],
    "summary": "Our crews are sowing wildflowers on verges instead of mowing them.",
    "challenge": "Frequent mowing leaves verges with little for pollinators.",
    "what_was_done": "To be completed once the first season's survey is in.",
    "outcomes": "To follow.",
    "figures": [],
    "quote": "",
    "quote_attribution": "",
    "image_alt": "",
    "consent": False,
}

CONTENT_KEYS = (
    "title",
    "district",
    "theme_slugs",
    "measure_codes",
    "summary",
    "challenge",
    "what_was_done",
    "outcomes",
    "quote",
    "quote_attribution",
    "image_alt",
)


def _content(spec: dict[str, Any], author: User, year: int) -> dict[str, Any]:
    content = {key: spec[key] for key in CONTENT_KEYS}
    content["year"] = year
    content["consent_to_publish"] = spec.get("consent", True)
    content["figures"] = [dict(f, value=Decimal(f["value"])) for f in spec["figures"]]
    contract = None
    if spec["contract"] and author.organisation is not None:
        contract = Contract.objects.filter(
            reference=spec["contract"], supplier=author.organisation
        ).first()
    content["contract"] = contract
    return content


def stories_demo() -> None:
    """Four published case studies, one waiting for review and one draft."""
    lead = User.objects.filter(email=LEAD_EMAIL).first()
    if lead is None:
        return
    # The befriending story is about the awarded supported-living contract. This demo
    # step runs before procurement's (``DEMO_STEPS``), so make sure that demo has run (it is
    # idempotent, and its own step then finds everything in place).
    procurement_demo()
    now = timezone.now()
    for spec in PUBLISHED:
        author = User.objects.filter(email=spec["author"]).first()
        if author is None or CaseStudy.objects.filter(title=spec["title"]).exists():
            continue
        at = _published_at(now, spec["quarters_ago"])
        case_study = case_study_save(
            user=author,
            content=_content(spec, author, at.year),
            image=_picture(spec["drawing"]),
            today=now.date(),
        )
        case_study_submit(case_study=case_study, user=author)
        case_study_publish(
            case_study=case_study, reviewer=lead, note="Thank you: a clear story.", at=at
        )
        CaseStudy.objects.filter(pk=case_study.pk).update(submitted_at=at - timedelta(days=5))

    for spec, submit in ((SUBMITTED, True), (DRAFT, False)):
        author = User.objects.filter(email=spec["author"]).first()
        if author is None or CaseStudy.objects.filter(title=spec["title"]).exists():
            continue
        case_study = case_study_save(user=author, content=_content(spec, author, now.year))
        if submit:
            case_study_submit(case_study=case_study, user=author)
