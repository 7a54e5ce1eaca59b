"""Demonstration insight data: the Greater Lancashire place, training, targets, a statement.

Runs after the accounts, procurement, contracts and stories demos, whose buying organisations,
staff, contracts and case studies it finds by name and email (anything missing is skipped).
It adds:

- the place partnership "Greater Lancashire", led by Lancashire County Council, with every
  demo buying organisation as a member (so ``/in-numbers/`` has figures);
- the council's TOMs Academy and lunch-and-learn courses (and a Blackpool session), with
  completions for most of the demo staff, on dates relative to today;
- KPI targets for the current financial year, for the council and for the place;
- a draft annual statement of the previous financial year with every section written.

Everything goes through the services, as the social value lead. Idempotent: what exists is
found and left alone, so a lead's later changes to a target or the statement are kept.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.bootstrap.demo.accounts import COUNCIL, STRUCTURE
from socialvalue.core.quarters import quarter_of
from socialvalue.insights.models import (
    Kpi,
    KpiTarget,
    Place,
    Statement,
    StatementSection,
    TrainingCompletion,
    TrainingCourse,
)
from socialvalue.insights.services import kpi_target_set
from socialvalue.insights.statement import section_update, statement_create
from socialvalue.insights.training import completion_record, course_create

PLACE_NAME = "Greater Lancashire"
PLACE_SLUG = "greater-lancashire"
PLACE_DESCRIPTION = (
    "The Greater Lancashire approach: councils and other anchor institutions across the "
    "county buying with one social value framework, the Lancashire TOMs, and reporting "
    "their social value together."
)
LEAD_EMAIL = "lead@lancashire.example"
BLACKPOOL = "Blackpool Council"


@dataclass(frozen=True)
class DemoCourse:
    organisation: str
    title: str
    kind: str
    description: str
    # (email of the member of staff, days before today they completed it)
    completions: tuple[tuple[str, int], ...]


COURSES = [
    DemoCourse(
        COUNCIL,
        "TOMs Academy: social value in procurement",
        TrainingCourse.Kind.TOMS_ACADEMY,
        "A half-day course on the Lancashire TOMs: choosing measures for a tender, weighting "
        "social value, evaluating offers and managing delivery.",
        (
            (LEAD_EMAIL, 400),
            ("officer@lancashire.example", 380),
            ("evaluator@lancashire.example", 75),
        ),
    ),
    DemoCourse(
        COUNCIL,
        "Lunch and learn: verifying quarterly returns",
        TrainingCourse.Kind.LUNCH_AND_LEARN,
        "A one-hour session on checking suppliers' quarterly returns and their evidence.",
        (
            (LEAD_EMAIL, 150),
            ("officer@lancashire.example", 150),
            ("officer2@lancashire.example", 40),
        ),
    ),
    DemoCourse(
        BLACKPOOL,
        "Lunch and learn: the Lancashire TOMs",
        TrainingCourse.Kind.LUNCH_AND_LEARN,
        "An introduction to the Lancashire TOMs for Blackpool's commissioners.",
        (("officer@blackpool.example", 200),),
    ),
]

# The current financial year's targets: the council's, then the place's.
COUNCIL_TARGETS: dict[str, str] = {
    Kpi.COMMITTED_VALUE: "2500000",
    Kpi.DELIVERED_VALUE: "1500000",
    Kpi.DELIVERED_SV_ADD: "15",
    Kpi.COMMITTED_SV_ADD: "20",
    Kpi.LOCAL_SPEND: "40",
    Kpi.MSME_SPEND: "10",
    Kpi.VCSE_SPEND: "5",
    Kpi.RETURNS_ON_TIME: "90",
    Kpi.OFFICERS_TRAINED: "75",
    Kpi.CASE_STUDIES: "1",
    Kpi.TENDERS_WITH_SV: "100",
}
PLACE_TARGETS: dict[str, str] = {
    Kpi.COMMITTED_VALUE: "3000000",
    Kpi.DELIVERED_VALUE: "1800000",
    Kpi.DELIVERED_SV_ADD: "15",
    Kpi.LOCAL_SPEND: "40",
    Kpi.RETURNS_ON_TIME: "90",
    Kpi.OFFICERS_TRAINED: "75",
    Kpi.CASE_STUDIES: "2",
}

STATEMENT_SECTIONS: dict[str, str] = {
    StatementSection.Key.INTRODUCTION: (
        "Lancashire County Council spends more than £1 billion a year with suppliers. Our "
        "Social Value Strategy 2024-28 asks every contract worth £100,000 or more to add "
        "social value for the people and places of Lancashire, measured with the Lancashire "
        "TOMs.\n\n"
        "Social value is part of how we procure, how we grant planning permission and how we "
        "award grants. Every tender at or above the threshold gives at least 10% of its "
        "marks to social value."
    ),
    StatementSection.Key.FOCUS: (
        "This year we asked suppliers to focus on:\n\n"
        "- **local jobs and apprenticeships** in the districts with the highest employment "
        "deprivation, Burnley and Hyndburn above all;\n"
        "- **spend with local businesses and VCSEs**, keeping the council's money in "
        "Lancashire;\n"
        "- **tackling loneliness** among older people, with the voluntary sector."
    ),
    StatementSection.Key.MANAGEMENT: (
        "The social value lead in Corporate Policy and Strategy owns the framework and "
        "reports the KPIs to Cabinet each quarter. Contract managers verify suppliers' "
        "quarterly returns and their evidence; the procurement team checks that each tender "
        "applies social value. With Blackpool Council we report together as Greater "
        "Lancashire."
    ),
    StatementSection.Key.STAFF: (
        "Officers who buy or manage contracts take the TOMs Academy course, and lunch and "
        "learn sessions cover the detail, such as verifying returns. Guidance and templates "
        "are in the resource bank, and the social value lead is the named contact for "
        "questions."
    ),
    StatementSection.Key.SUPPLIERS: (
        "We ran market engagement events before major tenders and published a calculator so "
        "that suppliers can value their offers before they bid. The partners directory "
        "matches suppliers with VCSEs and skills providers, and suppliers report online each "
        "quarter with help from the contract manager."
    ),
    StatementSection.Key.ACHIEVEMENTS: (
        "The figures below come from the contracts' verified returns. Highlights include six "
        "local apprentices on the highways crews and a befriending service reaching older "
        "people across Pendle."
    ),
    StatementSection.Key.ACTION_PLAN: (
        "Next year we will:\n\n"
        "1. train every procurement and contract management officer (the social value "
        "lead, by the end of Q2);\n"
        "2. bring more anchor institutions into Greater Lancashire (the social value lead, "
        "by the end of the year);\n"
        "3. publish a case study every quarter (contract managers with their suppliers)."
    ),
}


def _organisation(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name, kind=Organisation.Kind.BUYER).first()


def _place(council: Organisation) -> Place:
    place = Place.objects.filter(Q(slug=PLACE_SLUG) | Q(name=PLACE_NAME)).first()
    if place is None:
        place = Place(
            name=PLACE_NAME,
            slug=PLACE_SLUG,
            lead_organisation=council,
            description=PLACE_DESCRIPTION,
        )
        place.full_clean()
        place.save()
    buyers = Organisation.objects.filter(name__in=STRUCTURE, kind=Organisation.Kind.BUYER)
    place.members.add(*buyers)
    return place


def _training(today: date) -> None:
    for spec in COURSES:
        organisation = _organisation(spec.organisation)
        if organisation is None:
            continue
        staff = {
            u.email: u
            for u in User.objects.filter(
                organisation=organisation, email__in=[e for e, _ in spec.completions]
            )
        }
        course = TrainingCourse.objects.filter(organisation=organisation, title=spec.title).first()
        if course is None:
            recorder = User.objects.filter(email=LEAD_EMAIL).first() or next(
                iter(staff.values()), None
            )
            if recorder is None:
                continue
            course = course_create(
                organisation=organisation,
                title=spec.title,
                kind=spec.kind,
                description=spec.description,
                by=recorder,
            )
        for email, days_ago in spec.completions:
            officer = staff.get(email)
            if (
                officer is None
                or TrainingCompletion.objects.filter(course=course, user=officer).exists()
            ):
                continue
            completion_record(
                course=course,
                officer=officer,
                completed_on=today - timedelta(days=days_ago),
                by=officer,
                today=today,
            )


def _targets(lead: User, place: Place, year: int) -> None:
    if lead.organisation is None:
        raise RuntimeError(f"The demo lead {lead.email} belongs to no organisation.")
    for owner, targets in (
        ({"organisation": lead.organisation}, COUNCIL_TARGETS),
        ({"place": place}, PLACE_TARGETS),
    ):
        for kpi, target in targets.items():
            if KpiTarget.objects.filter(kpi=kpi, year=year, **owner).exists():
                continue
            kpi_target_set(by=lead, kpi=kpi, year=year, target=Decimal(target), **owner)


def _statement(lead: User, year: int) -> None:
    if lead.organisation is None:
        raise RuntimeError(f"The demo lead {lead.email} belongs to no organisation.")
    if Statement.objects.filter(organisation=lead.organisation, year=year).exists():
        return
    statement = statement_create(organisation=lead.organisation, year=year, by=lead)
    for section in statement.sections.all():
        section_update(section, body=STATEMENT_SECTIONS[section.key], by=lead)


def insights_demo(today: date | None = None) -> None:
    today = today or timezone.localdate()
    council = _organisation(COUNCIL)
    if council is None:
        return
    place = _place(council)
    _training(today)
    lead = User.objects.filter(email=LEAD_EMAIL, organisation=council).first()
    if lead is None or not lead.is_lead:
        return
    year = quarter_of(today).year
    _targets(lead, place, year)
    _statement(lead, year - 1)
