"""The annual social value statement: writing it, publishing it, and reading it.

Section 5 of the strategy: a statement each financial year following the LGA template's seven
sections. The social value lead of a buying organisation creates the statement of a year
(one per organisation and year), writes the narrative of each section in Markdown, and
publishes it; a published statement can be withdrawn (back to a draft) and published again.
It changes only through these functions::

    draft ──publish──▶ published ──withdraw──▶ draft

A published statement cannot be edited: withdraw it first. The "achievements to date"
section is filled in from the records (see ``statement_figures``): live while a draft,
frozen at publication. Every change keeps history with who, when and what.

Council staff of the organisation may read its drafts; the public sees published
statements only.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.access import NOT_OFFICER, require_lead
from socialvalue.core.history import set_history_user
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.insights.access import reads_figures
from socialvalue.insights.models import Statement, StatementSection
from socialvalue.insights.statement_figures import (
    Achievements,
    achievements_compute,
    body_with_snapshot,
    split_achievements,
)

Key = StatementSection.Key
EARLIEST_YEAR = 2015
MAX_BODY = 50_000
NARRATIVE_KEYS = [key for key in Key if key != Key.ACHIEVEMENTS]

# What each section of the LGA template asks for: the hint beside the lead's editor.
GUIDANCE = {
    Key.INTRODUCTION: "Why social value matters to the organisation, the policy it follows "
    "and how it is applied to procurement, planning and grants.",
    Key.FOCUS: "The priorities for the year: the themes and outcomes the organisation "
    "asks suppliers to focus on, and why (local needs, the council plan).",
    Key.MANAGEMENT: "How social value is governed and co-ordinated: who is responsible, "
    "how officers work together, and how progress is reported.",
    Key.STAFF: "How staff are supported: training (the TOMs Academy, lunch and learns), "
    "guidance, the resource bank and named contacts.",
    Key.SUPPLIERS: "How suppliers, VCSEs and partners are supported to offer and deliver "
    "social value: events, guidance, match-making, reporting help.",
    Key.ACHIEVEMENTS: "The figures are filled in from the records. Add what they mean: "
    "highlights, stories behind the numbers, what did not go as planned.",
    Key.ACTION_PLAN: "What will be done next year, by whom and by when.",
}

ERR_NOT_BUYER = "Only a buying organisation publishes a social value statement."
ERR_YEAR_RANGE = "Choose a financial year from {first} to {last}"
ERR_YEAR_TAKEN = "{organisation} already has a statement for {year}"
ERR_TITLE_REQUIRED = "Enter the title of the statement"
ERR_BODY_TOO_LONG = "The section must be {limit:,} characters or fewer"
ERR_LOCKED = "The statement is published: withdraw it before changing it."
ERR_ALREADY_PUBLISHED = "The statement is already published."
ERR_NOT_PUBLISHED = "Only a published statement can be withdrawn."
ERR_SECTION_EMPTY = "Write the section {section} before publishing the statement."
ERR_NOT_YOUR_STATEMENT = "This statement belongs to another organisation."

REASON_CREATED = "Created"
REASON_TITLE = "Title changed"
REASON_EDITED = "Section edited"
REASON_PUBLISHED = "Published"
REASON_WITHDRAWN = "Withdrawn"
REASON_FROZEN = "Figures frozen at publication"
REASON_THAWED = "Figures unfrozen on withdrawal"


def year_label(year: int) -> str:
    return Quarter(year, 1).financial_year


def current_year(today: date | None = None) -> int:
    return quarter_of(today or timezone.localdate()).year


def years_open(today: date | None = None) -> list[int]:
    """The financial years a statement may be written for, newest first."""
    return list(range(current_year(today), EARLIEST_YEAR - 1, -1))


def _save(instance: Statement | StatementSection, by: User | None, reason: str) -> None:
    # simple_history records this reason with the next save (an attribute models do not declare).
    setattr(instance, "_change_reason", reason)  # noqa: B010
    if by is not None:
        set_history_user(instance, by)
    instance.save()


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().get(pk=statement.pk)


def _check_lead_of(statement: Statement, by: User) -> None:
    require_lead(by)
    if statement.organisation_id != by.organisation_id:
        raise PermissionDenied(ERR_NOT_YOUR_STATEMENT)


# --- Writes --------------------------------------------------------------------------------------


@transaction.atomic
def statement_create(
    *, organisation: Organisation, year: int, by: User, title: str = ""
) -> Statement:
    """Start the statement of a financial year, with the seven sections of the template."""
    if not organisation.is_buyer:
        raise ValidationError(ERR_NOT_BUYER)
    years = years_open()
    if year not in years:
        raise ValidationError(
            {"year": ERR_YEAR_RANGE.format(first=year_label(years[-1]), last=year_label(years[0]))}
        )
    if Statement.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(
            {"year": ERR_YEAR_TAKEN.format(organisation=organisation.name, year=year_label(year))}
        )
    statement = Statement(
        organisation=organisation,
        year=year,
        title=" ".join(title.split()) or f"Social value statement {year_label(year)}",
    )
    statement.full_clean()
    _save(statement, by, REASON_CREATED)
    for key in Key:
        _save(StatementSection(statement=statement, key=key), by, REASON_CREATED)
    return statement


@transaction.atomic
def statement_retitle(statement: Statement, *, title: str, by: User) -> Statement:
    statement = _locked(statement)
    _check_lead_of(statement, by)
    if statement.status == Statement.Status.PUBLISHED:
        raise ValidationError(ERR_LOCKED)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": ERR_TITLE_REQUIRED})
    statement.title = title
    statement.full_clean()
    _save(statement, by, REASON_TITLE)
    return statement


@transaction.atomic
def section_update(section: StatementSection, *, body: str, by: User) -> StatementSection:
    """Change the narrative of one section of a draft statement."""
    statement = _locked(section.statement)
    _check_lead_of(statement, by)
    if statement.status == Statement.Status.PUBLISHED:
        raise ValidationError(ERR_LOCKED)
    body = body.replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY:
        raise ValidationError({"body": ERR_BODY_TOO_LONG.format(limit=MAX_BODY)})
    section = StatementSection.objects.select_for_update().get(pk=section.pk)
    if section.key == Key.ACHIEVEMENTS:
        body = split_achievements(body)[0]
    section.body = body
    _save(section, by, REASON_EDITED)
    return section


@transaction.atomic
def statement_publish(statement: Statement, *, by: User, now: datetime | None = None) -> Statement:
    """Publish the statement, freezing its achievements figures as they stand now."""
    statement = _locked(statement)
    _check_lead_of(statement, by)
    if statement.status == Statement.Status.PUBLISHED:
        raise ValidationError(ERR_ALREADY_PUBLISHED)
    sections = {s.key: s for s in statement.sections.select_for_update()}
    empty = [key for key in NARRATIVE_KEYS if key not in sections or not sections[key].body.strip()]
    if empty:
        raise ValidationError([ERR_SECTION_EMPTY.format(section=key.label) for key in empty])
    now = now or timezone.now()
    figures = achievements_compute(
        statement.organisation, statement.year, timezone.localtime(now).date()
    )
    achievements = sections.get(Key.ACHIEVEMENTS) or StatementSection(
        statement=statement, key=Key.ACHIEVEMENTS
    )
    narrative = split_achievements(achievements.body)[0]
    achievements.body = body_with_snapshot(narrative, replace(figures, frozen_at=now))
    _save(achievements, by, REASON_FROZEN)
    statement.status = Statement.Status.PUBLISHED
    statement.published_at = now
    statement.published_by = by
    _save(statement, by, REASON_PUBLISHED)
    return statement


@transaction.atomic
def statement_withdraw(statement: Statement, *, by: User) -> Statement:
    """Take a published statement off the public site, back to a draft."""
    statement = _locked(statement)
    _check_lead_of(statement, by)
    if statement.status != Statement.Status.PUBLISHED:
        raise ValidationError(ERR_NOT_PUBLISHED)
    achievements = statement.sections.select_for_update().filter(key=Key.ACHIEVEMENTS).first()
    if achievements is not None:
        achievements.body = split_achievements(achievements.body)[0]
        _save(achievements, by, REASON_THAWED)
    statement.status = Statement.Status.DRAFT
    statement.published_at = None
    statement.published_by = None
    _save(statement, by, REASON_WITHDRAWN)
    return statement


# --- Reads ---------------------------------------------------------------------------------------


def statements_of(organisation_id: int | None) -> QuerySet[Statement]:
    if organisation_id is None:
        return Statement.objects.none()
    return Statement.objects.filter(organisation_id=organisation_id).order_by("-year")


def get_statement_for_user(user: User, year: int) -> Statement:
    """The statement of ``year`` of the user's own organisation, for its council staff and
    Cabinet members."""
    if not reads_figures(user):
        raise PermissionDenied(NOT_OFFICER)
    return get_object_or_404(
        Statement.objects.select_related("organisation", "published_by"),
        organisation_id=user.organisation_id,
        year=year,
    )


def published_statements(organisation: Organisation) -> QuerySet[Statement]:
    return Statement.objects.filter(
        organisation=organisation, status=Statement.Status.PUBLISHED
    ).order_by("-year")


def public_organisation() -> Organisation | None:
    """Whose statement ``/statement/`` shows: the organisation running the service (named by
    ``SERVICE_OWNER``) once it has published one, otherwise the newest published."""
    owner = Organisation.objects.filter(
        name=settings.SERVICE_OWNER,
        kind=Organisation.Kind.BUYER,
        statements__status=Statement.Status.PUBLISHED,
    ).first()
    if owner is not None:
        return owner
    newest = (
        Statement.objects.filter(status=Statement.Status.PUBLISHED)
        .select_related("organisation")
        .order_by("-year", "-published_at")
        .first()
    )
    return newest.organisation if newest else None


def get_published_statement(organisation: Organisation, year: int | None = None) -> Statement:
    """A published statement (the latest when no year is given); 404 for drafts."""
    statements = published_statements(organisation).select_related("organisation")
    statement = statements.filter(year=year).first() if year else statements.first()
    if statement is None:
        raise Http404("No statement has been published for that year.")
    return statement


def other_publishers(organisation: Organisation | None) -> QuerySet[Organisation]:
    """The other organisations with a published statement."""
    qs = Organisation.objects.filter(statements__status=Statement.Status.PUBLISHED)
    if organisation is not None:
        qs = qs.exclude(pk=organisation.pk)
    return qs.distinct().order_by("name")


@dataclass(frozen=True)
class SectionView:
    key: str
    label: str
    body: str  # Markdown, the achievements snapshot left out
    guidance: str

    @property
    def anchor(self) -> str:
        return self.key.replace("_", "-")


def sections_of(statement: Statement) -> list[SectionView]:
    """The seven sections in the template's order, with the lead's narrative."""
    stored = {s.key: s.body for s in statement.sections.all()}
    result = []
    for key in Key:
        body = stored.get(key, "")
        if key == Key.ACHIEVEMENTS:
            body = split_achievements(body)[0]
        result.append(SectionView(key.value, key.label, body, GUIDANCE[key]))
    return result


def get_section(statement: Statement, key: str) -> StatementSection:
    if key not in Key.values:
        raise Http404("No such section.")
    section, _ = StatementSection.objects.get_or_create(statement=statement, key=key)
    return section


def statement_achievements(statement: Statement, today: date | None = None) -> Achievements:
    """The figures frozen at publication, or (for a draft) as they stand today."""
    if statement.status == Statement.Status.PUBLISHED:
        section = statement.sections.filter(key=Key.ACHIEVEMENTS).first()
        if section is not None:
            frozen = split_achievements(section.body)[1]
            if frozen is not None:
                return frozen
    return achievements_compute(statement.organisation, statement.year, today)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str


def statement_history(statement: Statement) -> list[HistoryEntry]:
    """Who did what to the statement and its sections, newest first."""
    labels = dict(Key.choices)
    entries = [
        HistoryEntry(h.history_date, _who(h.history_user), h.history_change_reason or "Changed")
        for h in statement.history.select_related("history_user")
    ]
    for h in StatementSection.history.filter(statement_id=statement.pk).select_related(
        "history_user"
    ):
        if h.history_change_reason in {REASON_CREATED, None}:
            continue
        what = h.history_change_reason
        if what == REASON_EDITED:
            what = f"{what}: {labels.get(h.key, h.key)}"
        entries.append(HistoryEntry(h.history_date, _who(h.history_user), what))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _who(user: User | None) -> str:
    if user is None:
        return "—"
    return user.full_name or user.email
