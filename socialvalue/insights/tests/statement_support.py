"""Fixtures of the annual statement tests (import them into a test module).

``statement_world``: a small set of records whose "achievements to date" for the council's
financial year 2022-23 (1 April 2022 to 31 March 2023, 365 days) are worked out by hand in
``test_statement_figures.py``.

Proxies (Lancashire TOMs 2024): NT1 £31,285 per FTE; NT8 £16.93 per hour; NT18, NT19 and
NT29 £1; NT14 £0.12.

Contracts:

- A  council, Bob's Building, £731,000, 2022-04-01 to 2024-03-31 (731 days, 365 of them in
  2022-23); targets NT1 2 and NT18 100,000.
- B  council, Carol's Care, £100,000, 2022-10-01 to 2023-03-31 (182 days, all in the year);
  targets NT14 50,000 and NT19 20,000.
- D  Blackpool, Bob's Building, £500,000, in 2022-23; target NT1 5 (never the council's).

Return lines (V verified, S submitted):

- Bob Q1: A NT1 0.5 V; A NT18 40,000 V; A NT18 5,000 S; D NT1 3 V.
- Bob Q3: A NT1 1 V; A NT8 100 V; A NT29 50 V.
- Carol Q3: B NT14 20,000 V; B NT19 10,000 V.
- Carol Q4: B NT19 5,000 V; B NT14 1,000 S.
- Bob Q1 2023-24: A NT18 7,000 V (the next year).

Case studies published: the council's own on 10 May 2022; Bob's about contract A on
1 February 2023; Carol's (no contract) on 1 March 2023, not the council's; the council's on
2 April 2023 (the next year); a council draft.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from socialvalue.accounts.models import Organisation
from socialvalue.contracts.models import Contract, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.services import contract_register
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.insights.models import Statement, StatementSection
from socialvalue.stories.models import CaseStudy

YEAR = 2022
PRESTON = District.PRESTON.value

NARRATIVE = {
    StatementSection.Key.INTRODUCTION: "## Our approach\n\nWe buy **locally** where we can.",
    StatementSection.Key.FOCUS: "Jobs and skills for young people.",
    StatementSection.Key.MANAGEMENT: "The Social Value Board meets every quarter.",
    StatementSection.Key.STAFF: "Every buyer attends the TOMs Academy.",
    StatementSection.Key.SUPPLIERS: "We run supplier events in every district.",
    StatementSection.Key.ACHIEVEMENTS: "A strong first year.",
    StatementSection.Key.ACTION_PLAN: "- Publish a case study every quarter",
}


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


@dataclass
class StatementWorld:
    a: Contract
    b: Contract
    d: Contract


@pytest.fixture
def statement_world(
    toms: FrameworkVersion,
    council: Organisation,
    blackpool: Organisation,
    bobs_building: Organisation,
    carols_care: Organisation,
) -> StatementWorld:
    measures = {m.code: m for m in Measure.objects.filter(version=toms)}

    def contract(
        ref: str,
        buyer: Organisation,
        supplier: Organisation,
        value: str,
        start: date,
        end: date,
        targets: list[tuple[str, str]],
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
        )

    a = contract(
        "LCC-SA",
        council,
        bobs_building,
        "731000.00",
        date(2022, 4, 1),
        date(2024, 3, 31),
        [("NT1", "2"), ("NT18", "100000")],
    )
    b = contract(
        "LCC-SB",
        council,
        carols_care,
        "100000.00",
        date(2022, 10, 1),
        date(2023, 3, 31),
        [("NT14", "50000"), ("NT19", "20000")],
    )
    d = contract(
        "BPC-SD",
        blackpool,
        bobs_building,
        "500000.00",
        date(2022, 4, 1),
        date(2023, 3, 31),
        [("NT1", "5")],
    )

    def lines(
        supplier: Organisation, quarter: Quarter, rows: list[tuple[Contract, str, str, str]]
    ) -> None:
        return_record = Return.objects.create(
            supplier=supplier,
            period=period_for(quarter),
            status=Return.Status.SUBMITTED,
            submitted_at=at(quarter.end),
        )
        for con, code, quantity, status in rows:
            ReturnLine.objects.create(
                return_record=return_record,
                contract=con,
                measure=measures[code],
                quantity=Decimal(quantity),
                district=PRESTON,
                status=status,
            )

    v, s = ReturnLine.Status.VERIFIED, ReturnLine.Status.SUBMITTED
    lines(
        bobs_building,
        Quarter(YEAR, 1),
        [(a, "NT1", "0.5", v), (a, "NT18", "40000", v), (a, "NT18", "5000", s), (d, "NT1", "3", v)],
    )
    lines(
        bobs_building,
        Quarter(YEAR, 3),
        [(a, "NT1", "1", v), (a, "NT8", "100", v), (a, "NT29", "50", v)],
    )
    lines(carols_care, Quarter(YEAR, 3), [(b, "NT14", "20000", v), (b, "NT19", "10000", v)])
    lines(carols_care, Quarter(YEAR, 4), [(b, "NT19", "5000", v), (b, "NT14", "1000", s)])
    lines(bobs_building, Quarter(YEAR + 1, 1), [(a, "NT18", "7000", v)])

    def story(slug: str, org: Organisation, con: Contract | None, published: date | None) -> None:
        CaseStudy.objects.create(
            title=f"Story {slug}",
            slug=slug,
            organisation=org,
            contract=con,
            district=PRESTON,
            year=YEAR,
            summary=f"Summary of {slug}.",
            challenge="A challenge.",
            what_was_done="Things.",
            outcomes="Outcomes.",
            status=CaseStudy.Status.PUBLISHED if published else CaseStudy.Status.DRAFT,
            published_at=at(published) if published else None,
        )

    story("apprentices", council, None, date(2022, 5, 10))
    story("gully-crews", bobs_building, a, date(2023, 2, 1))
    story("befriending", carols_care, None, date(2023, 3, 1))
    story("next-year", council, None, date(2023, 4, 2))
    story("draft", council, None, None)
    return StatementWorld(a, b, d)


def write_all(statement: Statement) -> None:
    """Fill in every section's narrative directly (the tests of editing use the service)."""
    for key, body in NARRATIVE.items():
        StatementSection.objects.filter(statement=statement, key=key).update(body=body)
