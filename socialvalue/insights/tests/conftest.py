"""Insight fixtures: the shared contract fixtures, and ``kpi_world``, a small set of records
whose KPIs are worked out by hand in ``test_kpis.py``.

Everything in ``kpi_world`` happens in financial year 2024-25 (1 April 2024 to 31 March
2025), with one older contract and one older line, so the figures never age.

Proxies used (Lancashire TOMs 2024): NT1 £31,285 per FTE; NT18 and NT19 £1 per £ spent;
NT14 £0.12 per £ spent; NT41 has none.

Contracts (buyer, supplier, directorate, category, value, dates, targets):

- A  council, Bob's Building, Growth, highways, £1,000,000, 2024-04-01 to 2026-03-31
  (730 days, 365 of them in 2024-25); NT1 2, NT18 200,000, NT41 10.
- B  council, Carol's Care, Adult Services, adult social care, £365,000, 2024-10-01 to
  2025-09-30 (365 days, 182 in 2024-25); NT14 100,000, NT19 50,000.
- C  council, Bob's Building, no directorate, construction, £120,000, 2023-04-01 to
  2024-09-30 (549 days, 183 in 2024-25); NT1 1 (committed in 2023-24).
- E  council, Bob's Building, no directorate or category, £3,000, 2024-06-11 to
  2024-07-10 (30 days: 20 in Q1, 10 in Q2); no targets.
- D  Blackpool, Bob's Building, highways, £500,000, 2024-04-01 to 2025-03-31 (365 days);
  NT1 5, NT18 100,000.

Return lines (status, district):

- Bob Q1 2024-25: A NT1 0.5 verified Preston; A NT18 40,000 verified Preston; A NT18 5,000
  submitted; C NT1 0.25 verified Burnley; D NT1 3 verified Blackpool.
- Bob Q2: A NT18 30,000 queried; A NT41 4 verified Chorley; A NT1 0.5 rejected; A NT1 1
  verified Chorley; D NT18 60,000 verified Blackpool.
- Carol Q3: B NT14 20,000 verified Burnley; B NT19 10,000 verified Burnley.
- Carol Q4: B NT19 5,000 verified Preston; B NT14 1,000 submitted.
- Bob Q4 2023-24: C NT1 0.5 verified Preston (before the year).

Returns: Bob Q1 on time, Q2 late, Q3 never submitted, Q4 on time; Carol Q2 (a draft, but
Carol held no contract then), Q3 and Q4 on time.

Training: Alice completed a course on 2024-06-01, Erin on 2025-06-01, Olga on 2024-05-01,
an inactive officer on 2024-05-01; Lucy never.

Case studies published: council's own on 2024-05-10 (Q1); Bob's about contract A on
2024-08-01 (Q2); Carol's with no contract on 2024-08-20 (not the council's); Blackpool's on
2024-11-01 (Q3); a council draft (never published).

Tenders opened: council T1 £1,000,000 at 10% on 2024-05-01 (Growth); T2 £100,000.00 at 0%
on 2024-07-01; T3 £99,999.99 at 0% on 2024-09-01; T4 £500,000 at 10% on 2023-12-01; T5 a
draft. Blackpool (threshold £250,000): T6 £200,000 at 0% and T7 £300,000 at 15%, both in
June 2024.
"""

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from socialvalue.accounts.models import Directorate, Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import Contract, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.services import contract_register
from socialvalue.contracts.tests.conftest import (
    add_line,
    last_period,
    last_quarter,
    make_bid,
    make_contract,
    make_return,
    make_tender,
    panel,
    this_quarter,
)
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.insights.models import Place, TrainingCompletion, TrainingCourse
from socialvalue.procurement.models import Policy, Tender
from socialvalue.stories.models import CaseStudy

__all__ = [
    "add_line",
    "last_period",
    "last_quarter",
    "make_bid",
    "make_contract",
    "make_return",
    "make_tender",
    "panel",
    "this_quarter",
]

FY = 2024
Q1, Q2, Q3, Q4 = (Quarter(FY, n) for n in range(1, 5))
PRESTON = District.PRESTON.value
BURNLEY = District.BURNLEY.value
CHORLEY = District.CHORLEY.value
BLACKPOOL = District.BLACKPOOL.value


def at(day: date, hour: int = 12) -> datetime:
    """Noon (by default) on ``day``, local time."""
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class KpiWorld:
    council: Organisation
    blackpool: Organisation
    bob: Organisation
    carol: Organisation
    growth: Directorate
    adults: Directorate
    a: Contract
    b: Contract
    c: Contract
    d: Contract
    e: Contract


@pytest.fixture
def kpi_world(
    toms: FrameworkVersion,
    council: Organisation,
    blackpool: Organisation,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
    officer_alice: User,
    evaluator_erin: User,
    officer_olga: User,
    supplier_bob: User,
) -> KpiWorld:
    measures = {m.code: m for m in Measure.objects.filter(version=toms)}
    assert officer_alice.service_area is not None
    growth = officer_alice.service_area.directorate
    adults = Directorate.objects.create(organisation=council, name="Adult Services")

    def contract(
        ref: str,
        buyer: Organisation,
        supplier: Organisation,
        value: str,
        start: date,
        end: date,
        targets: list[tuple[str, str]],
        directorate: Directorate | None = None,
        category: str = "",
    ) -> Contract:
        return contract_register(
            organisation=buyer,
            supplier=supplier,
            reference=ref,
            title=f"Contract {ref}",
            lever=Contract.Lever.PROCUREMENT,
            value=Decimal(value),
            start_date=start,
            end_date=end,
            framework_version=toms,
            targets=[(measures[code], Decimal(q)) for code, q in targets],
            directorate=directorate,
            category=category,
        )

    a = contract(
        "LCC-A",
        council,
        bobs_building,
        "1000000.00",
        date(2024, 4, 1),
        date(2026, 3, 31),
        [("NT1", "2"), ("NT18", "200000"), ("NT41", "10")],
        growth,
        Tender.Category.HIGHWAYS,
    )
    b = contract(
        "LCC-B",
        council,
        carols_care,
        "365000.00",
        date(2024, 10, 1),
        date(2025, 9, 30),
        [("NT14", "100000"), ("NT19", "50000")],
        adults,
        Tender.Category.ADULT_SOCIAL_CARE,
    )
    c = contract(
        "LCC-C",
        council,
        bobs_building,
        "120000.00",
        date(2023, 4, 1),
        date(2024, 9, 30),
        [("NT1", "1")],
        None,
        Tender.Category.CONSTRUCTION,
    )
    e = contract(
        "LCC-E", council, bobs_building, "3000.00", date(2024, 6, 11), date(2024, 7, 10), []
    )
    d = contract(
        "BPC-D",
        blackpool,
        bobs_building,
        "500000.00",
        date(2024, 4, 1),
        date(2025, 3, 31),
        [("NT1", "5"), ("NT18", "100000")],
        None,
        Tender.Category.HIGHWAYS,
    )

    def return_for(supplier: Organisation, quarter: Quarter, submitted: date | None) -> Return:
        return Return.objects.create(
            supplier=supplier,
            period=period_for(quarter),
            status=Return.Status.SUBMITTED if submitted else Return.Status.DRAFT,
            submitted_at=at(submitted) if submitted else None,
        )

    def line(r: Return, con: Contract, code: str, qty: str, status: str, district: str) -> None:
        ReturnLine.objects.create(
            return_record=r,
            contract=con,
            measure=measures[code],
            quantity=Decimal(qty),
            district=district,
            status=status,
        )

    verified, submitted = ReturnLine.Status.VERIFIED, ReturnLine.Status.SUBMITTED
    # Due dates: Q1 30 July 2024, Q2 30 October 2024, Q3 30 January 2025, Q4 30 April 2025.
    bob_q1 = return_for(bobs_building, Q1, date(2024, 7, 15))
    line(bob_q1, a, "NT1", "0.5", verified, PRESTON)
    line(bob_q1, a, "NT18", "40000", verified, PRESTON)
    line(bob_q1, a, "NT18", "5000", submitted, PRESTON)
    line(bob_q1, c, "NT1", "0.25", verified, BURNLEY)
    line(bob_q1, d, "NT1", "3", verified, BLACKPOOL)
    bob_q2 = return_for(bobs_building, Q2, date(2024, 11, 15))
    line(bob_q2, a, "NT18", "30000", ReturnLine.Status.QUERIED, PRESTON)
    line(bob_q2, a, "NT41", "4", verified, CHORLEY)
    line(bob_q2, a, "NT1", "0.5", ReturnLine.Status.REJECTED, CHORLEY)
    line(bob_q2, a, "NT1", "1", verified, CHORLEY)
    line(bob_q2, d, "NT18", "60000", verified, BLACKPOOL)
    return_for(bobs_building, Q3, None)
    return_for(bobs_building, Q4, date(2025, 4, 30))
    return_for(carols_care, Q2, None)
    carol_q3 = return_for(carols_care, Q3, date(2025, 1, 20))
    line(carol_q3, b, "NT14", "20000", verified, BURNLEY)
    line(carol_q3, b, "NT19", "10000", verified, BURNLEY)
    carol_q4 = return_for(carols_care, Q4, date(2025, 4, 2))
    line(carol_q4, b, "NT19", "5000", verified, PRESTON)
    line(carol_q4, b, "NT14", "1000", submitted, PRESTON)
    bob_old = return_for(bobs_building, Quarter(2023, 4), date(2024, 4, 20))
    line(bob_old, c, "NT1", "0.5", verified, PRESTON)

    course = TrainingCourse.objects.create(
        organisation=council, title="TOMs Academy", kind=TrainingCourse.Kind.TOMS_ACADEMY
    )
    gone = UserFactory.create(
        email="gone@lancashire.example", organisation=council, is_active=False
    )
    for user, day in [
        (officer_alice, date(2024, 6, 1)),
        (evaluator_erin, date(2025, 6, 1)),
        (officer_olga, date(2024, 5, 1)),
        (gone, date(2024, 5, 1)),
    ]:
        TrainingCompletion.objects.create(course=course, user=user, completed_on=day)

    def story(n: int, org: Organisation, con: Contract | None, published: date | None) -> None:
        CaseStudy.objects.create(
            title=f"Story {n}",
            slug=f"story-{n}",
            organisation=org,
            contract=con,
            district=PRESTON,
            year=FY,
            summary="A summary.",
            challenge="A challenge.",
            what_was_done="Things.",
            outcomes="Outcomes.",
            status=CaseStudy.Status.PUBLISHED if published else CaseStudy.Status.DRAFT,
            published_at=at(published) if published else None,
        )

    story(1, council, None, date(2024, 5, 10))
    story(2, bobs_building, a, date(2024, 8, 1))
    story(3, carols_care, None, date(2024, 8, 20))
    story(4, blackpool, None, date(2024, 11, 1))
    story(5, council, None, None)

    Policy.objects.create(organisation=blackpool, threshold=Decimal("250000.00"))

    def tender(
        n: int,
        buyer: Organisation,
        value: str,
        weighting: str,
        opened: date | None,
        directorate: Directorate | None = None,
    ) -> None:
        Tender.objects.create(
            organisation=buyer,
            reference=f"T{n}",
            title=f"Tender {n}",
            description="A tender.",
            directorate=directorate,
            category=Tender.Category.HIGHWAYS,
            estimated_value=Decimal(value),
            duration_months=12,
            deadline=at(date(2024, 12, 1)),
            sv_weighting=Decimal(weighting),
            quantitative_share=Decimal(50),
            deliverability_threshold=2,
            framework_version=toms,
            status=Tender.Status.OPEN if opened else Tender.Status.DRAFT,
            opened_at=at(opened) if opened else None,
        )

    tender(1, council, "1000000.00", "10", date(2024, 5, 1), growth)
    tender(2, council, "100000.00", "0", date(2024, 7, 1))
    tender(3, council, "99999.99", "0", date(2024, 9, 1))
    tender(4, council, "500000.00", "10", date(2023, 12, 1))
    tender(5, council, "800000.00", "10", None)
    tender(6, blackpool, "200000.00", "0", date(2024, 6, 1))
    tender(7, blackpool, "300000.00", "15", date(2024, 6, 2))

    return KpiWorld(
        council=council,
        blackpool=blackpool,
        bob=bobs_building,
        carol=carols_care,
        growth=growth,
        adults=adults,
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
    )


@pytest.fixture
def greater_lancashire(council: Organisation, blackpool: Organisation) -> Place:
    """The place partnership led by the council, with Blackpool as a member."""
    place = Place.objects.create(
        name="Greater Lancashire", slug="greater-lancashire", lead_organisation=council
    )
    place.members.add(council, blackpool)
    return place


@pytest.fixture
def partner_pat(db: None) -> User:
    partner = Organisation.objects.create(
        name="Lancashire Community Trust",
        slug="lancashire-community-trust",
        kind=Organisation.Kind.PARTNER,
    )
    return UserFactory.create(
        email="pat@trust.example",
        full_name="Pat Partner",
        role=User.Role.PARTNER,
        organisation=partner,
    )


def main_of(response: Any) -> str:
    """The page's main content (the footer names the service owner on every page)."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def cards(body: str) -> dict[str, str]:
    """Each KPI card's title → its figure."""
    found = re.findall(
        r'app-kpi__title">([^<]+)</h3>\s*<p class="govuk-body app-kpi__value">([^<]+)</p>', body
    )
    return {html.unescape(title): html.unescape(value) for title, value in found}


def cells(row: str) -> list[str]:
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)


def table_rows(body: str, name: str) -> list[list[str]]:
    """The body rows of one breakdown table, as the text of their cells."""
    table = body[body.index(f'id="{name}-table"') :]
    table = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells(row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]
