"""Training records: an organisation's courses, who completed them, and CSV imports.

The strategy's training programme (section 7): the TOMs Academy, lunch-and-learn sessions,
e-learning and the like. The social value lead keeps the organisation's courses (a course is
retired, never deleted, so its completions stay on record) and records who completed each;
every member of the council staff may read them. The "officers trained" KPI counts active
staff with at least one completion (see ``kpis.officers_trained``).

A CSV import of completions is all or nothing: a file with any bad row changes nothing, and
every bad row gets a message. A completion already on record is left as it is.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.imports import ImportFailed, RowError
from socialvalue.core.access import require_officer
from socialvalue.core.history import set_history_user
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.insights import kpis
from socialvalue.insights.models import TrainingCompletion, TrainingCourse

STAFF_ROLES = (User.Role.LEAD, User.Role.OFFICER, User.Role.EVALUATOR)
IMPORT_COLUMNS = ("email", "course", "completed_on")
MAX_IMPORT_ROWS = 5000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

ERR_TITLE_REQUIRED = "Enter the course title"
ERR_TITLE_TAKEN = "{organisation} already has a course called {title}"
ERR_NOT_STAFF_MEMBER = "Choose an officer of {organisation}"
ERR_DATE_FUTURE = "The date of completion must be today or in the past"
ERR_ALREADY_RECORDED = "{name} completed {course} on {day}: it is already recorded"

ERR_FILE_NOT_TEXT = "The file is not a CSV file in UTF-8 text."
ERR_FILE_BROKEN = "Line {line} of the file cannot be read: check its quotation marks."
ERR_FILE_EMPTY = "The file has no completions to import."
ERR_FILE_COLUMNS = (
    "The file has no {columns} column: the headings must be email, course and completed_on."
)
ERR_FILE_TOO_LONG = "The file has more than {limit:,} rows; split it into smaller files."
ERR_ROW_EMAIL_MISSING = "Email is required."
ERR_ROW_EMAIL_UNKNOWN = "Nobody with the email address {email} uses the service."
ERR_ROW_OTHER_ORGANISATION = "{email} belongs to another organisation."
ERR_ROW_NOT_STAFF = "{email} is not council staff (an officer, an evaluator or the lead)."
ERR_ROW_INACTIVE = "The account of {email} is closed."
ERR_ROW_COURSE_MISSING = "Course is required: the title of one of your courses."
ERR_ROW_COURSE_UNKNOWN = "There is no course called '{title}'."
ERR_ROW_DATE_MISSING = "completed_on is required: a date such as 2025-06-30 or 30/06/2025."
ERR_ROW_DATE_BAD = "'{text}' is not a date: use a date such as 2025-06-30 or 30/06/2025."
ERR_ROW_DATE_FUTURE = "The completion date {day} is in the future."
ERR_ROW_DUPLICATE = "{email} and '{course}' are on row {row} already."


def _set_history_user(instance: object, by: User | None) -> None:
    if by is not None:
        set_history_user(instance, by)


# --- Selectors ---------------------------------------------------------------------------------


def staff_of(organisation: Organisation) -> QuerySet[User]:
    """The organisation's active council staff: those the "officers trained" KPI counts."""
    return User.objects.filter(
        organisation=organisation, is_active=True, role__in=STAFF_ROLES
    ).order_by("full_name", "email")


def courses_of(organisation: Organisation) -> QuerySet[TrainingCourse]:
    return TrainingCourse.objects.filter(organisation=organisation).order_by("-is_active", "title")


def get_course_for_user(user: User, pk: int) -> TrainingCourse:
    """A course of the user's own organisation (404 for anybody else's)."""
    require_officer(user)
    return get_object_or_404(TrainingCourse, pk=pk, organisation_id=user.organisation_id)


def get_completion_for_user(user: User, pk: int) -> TrainingCompletion:
    require_officer(user)
    return get_object_or_404(
        TrainingCompletion.objects.select_related("course", "user"),
        pk=pk,
        course__organisation_id=user.organisation_id,
    )


def financial_year_of(day: date) -> int:
    return quarter_of(day).year


def year_end(year: int, today: date | None = None) -> date:
    """The day a year's figures run to: the end of the financial year, or today if sooner."""
    return min(Quarter(year, 4).end, today or timezone.localdate())


@dataclass
class OfficerRow:
    officer: User
    completions: list[TrainingCompletion] = field(default_factory=list)

    @property
    def trained(self) -> bool:
        return bool(self.completions)


def officer_rows(
    organisation: Organisation, year: int, today: date | None = None
) -> list[OfficerRow]:
    """Each member of staff with the courses they had completed by the end of ``year``."""
    as_of = year_end(year, today)
    rows = {officer.pk: OfficerRow(officer) for officer in staff_of(organisation)}
    completions = (
        TrainingCompletion.objects.filter(user_id__in=rows.keys(), completed_on__lte=as_of)
        .select_related("course")
        .order_by("completed_on", "course__title")
    )
    for completion in completions:
        rows[completion.user_id].completions.append(completion)
    return list(rows.values())


def trained_ratio(organisation: Organisation, year: int, today: date | None = None) -> kpis.Ratio:
    """The "officers trained" KPI of the organisation for a financial year."""
    scope = kpis.Scope(frozenset({organisation.pk}), Quarter(year, 1), Quarter(year, 4))
    return kpis.officers_trained(scope, today)


# --- Courses ------------------------------------------------------------------------------------


def _check_title(organisation: Organisation, title: str, course: TrainingCourse | None) -> None:
    if not title:
        raise ValidationError({"title": ERR_TITLE_REQUIRED})
    others = TrainingCourse.objects.filter(organisation=organisation, title__iexact=title)
    if course is not None:
        others = others.exclude(pk=course.pk)
    if others.exists():
        raise ValidationError(
            {"title": ERR_TITLE_TAKEN.format(organisation=organisation.name, title=title)}
        )


@transaction.atomic
def course_create(
    *, organisation: Organisation, title: str, kind: str, description: str = "", by: User
) -> TrainingCourse:
    """Add a course to the organisation's training programme."""
    title = " ".join(title.split())
    _check_title(organisation, title, None)
    course = TrainingCourse(
        organisation=organisation, title=title, kind=kind, description=description.strip()
    )
    course.full_clean()
    _set_history_user(course, by)
    course.save()
    return course


@transaction.atomic
def course_update(
    course: TrainingCourse, *, title: str, kind: str, description: str = "", by: User
) -> TrainingCourse:
    title = " ".join(title.split())
    _check_title(course.organisation, title, course)
    course.title, course.kind, course.description = title, kind, description.strip()
    course.full_clean()
    _set_history_user(course, by)
    course.save()
    return course


@transaction.atomic
def course_set_active(course: TrainingCourse, *, active: bool, by: User) -> TrainingCourse:
    """Retire a course (it is no longer offered; its completions stay) or bring it back."""
    course.is_active = active
    _set_history_user(course, by)
    course.save(update_fields=["is_active", "updated_at"])
    return course


# --- Completions --------------------------------------------------------------------------------


def _is_staff_of(user: User, organisation: Organisation) -> bool:
    return user.is_active and user.organisation_id == organisation.pk and user.role in STAFF_ROLES


@transaction.atomic
def completion_record(
    *,
    course: TrainingCourse,
    officer: User,
    completed_on: date,
    by: User,
    today: date | None = None,
) -> TrainingCompletion:
    """Record that a member of the course's organisation's staff completed it."""
    organisation = course.organisation
    errors: dict[str, str] = {}
    if not _is_staff_of(officer, organisation):
        errors["officer"] = ERR_NOT_STAFF_MEMBER.format(organisation=organisation.name)
    if completed_on > (today or timezone.localdate()):
        errors["completed_on"] = ERR_DATE_FUTURE
    if errors:
        raise ValidationError(errors)
    existing = TrainingCompletion.objects.filter(course=course, user=officer).first()
    if existing is not None:
        raise ValidationError(
            ERR_ALREADY_RECORDED.format(
                name=officer.full_name or officer.email,
                course=course.title,
                day=f"{existing.completed_on:%-d %B %Y}",
            )
        )
    completion = TrainingCompletion(
        course=course, user=officer, completed_on=completed_on, recorded_by=by
    )
    _set_history_user(completion, by)
    completion.save()
    return completion


@transaction.atomic
def completion_delete(completion: TrainingCompletion, *, by: User) -> None:
    """Remove a completion recorded by mistake (the history keeps it)."""
    _set_history_user(completion, by)
    completion.delete()


# --- CSV import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    recorded: int
    already: int


@dataclass(frozen=True)
class _Row:
    number: int
    email: str
    course: str
    completed_on: str


def _heading(text: str) -> str:
    return "_".join(text.split()).casefold()


def _records(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        yield from reader
    except csv.Error:
        raise ImportFailed([ERR_FILE_BROKEN.format(line=reader.line_num)]) from None


def rows_from_csv(data: bytes) -> list[_Row]:
    """The rows of a completions CSV: headings email, course, completed_on (any order)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([ERR_FILE_NOT_TEXT]) from None
    if "\x00" in text:
        raise ImportFailed([ERR_FILE_NOT_TEXT])
    records = _records(text)
    headings: list[str] = []
    number = 0
    for record in records:
        number += 1
        headings = [_heading(cell) for cell in record]
        if any(headings):
            break
    if not any(headings):
        raise ImportFailed([ERR_FILE_EMPTY])
    missing = [c for c in IMPORT_COLUMNS if c not in headings]
    if missing:
        raise ImportFailed([ERR_FILE_COLUMNS.format(columns=", ".join(missing))])
    where = {name: headings.index(name) for name in IMPORT_COLUMNS}
    rows: list[_Row] = []
    for record in records:
        number += 1
        cells = {name: (record[i].strip() if i < len(record) else "") for name, i in where.items()}
        if not any(cells.values()):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ImportFailed([ERR_FILE_TOO_LONG.format(limit=MAX_IMPORT_ROWS)])
        rows.append(_Row(number, cells["email"], cells["course"], cells["completed_on"]))
    if not rows:
        raise ImportFailed([ERR_FILE_EMPTY])
    return rows


def parse_day(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _user_problem(user: User | None, email: str, organisation: Organisation) -> str | None:
    if user is None:
        return ERR_ROW_EMAIL_UNKNOWN.format(email=email)
    if user.organisation_id != organisation.pk:
        return ERR_ROW_OTHER_ORGANISATION.format(email=email)
    if user.role not in STAFF_ROLES:
        return ERR_ROW_NOT_STAFF.format(email=email)
    if not user.is_active:
        return ERR_ROW_INACTIVE.format(email=email)
    return None


def _date_problem(text: str, today: date) -> tuple[date | None, str | None]:
    if not text:
        return None, ERR_ROW_DATE_MISSING
    day = parse_day(text)
    if day is None:
        return None, ERR_ROW_DATE_BAD.format(text=text)
    if day > today:
        return None, ERR_ROW_DATE_FUTURE.format(day=f"{day:%-d %B %Y}")
    return day, None


@transaction.atomic
def completions_import(
    *, organisation: Organisation, data: bytes, by: User, today: date | None = None
) -> ImportResult:
    """Record the completions in a CSV file, all or nothing.

    Raises ``ImportFailed`` with a "Row N: …" message for every bad row (rows numbered as a
    spreadsheet shows them, headings on row 1). Completions already on record are left as
    they are and counted in ``already``.
    """
    today = today or timezone.localdate()
    rows = rows_from_csv(data)
    emails = {row.email.casefold() for row in rows if row.email}
    users = {u.email.casefold(): u for u in User.objects.filter(email__in=emails)}
    courses = {
        c.title.casefold(): c for c in TrainingCourse.objects.filter(organisation=organisation)
    }
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    wanted: list[tuple[TrainingCourse, User, date]] = []
    for row in rows:
        problems: list[str] = []
        email, title = row.email.casefold(), " ".join(row.course.split()).casefold()
        user = users.get(email)
        if not row.email:
            problems.append(ERR_ROW_EMAIL_MISSING)
        elif problem := _user_problem(user, row.email, organisation):
            problems.append(problem)
        course = courses.get(title)
        if not row.course:
            problems.append(ERR_ROW_COURSE_MISSING)
        elif course is None:
            problems.append(ERR_ROW_COURSE_UNKNOWN.format(title=row.course))
        day, problem = _date_problem(row.completed_on, today)
        if problem:
            problems.append(problem)
        if row.email and row.course:
            first = seen.setdefault((email, title), row.number)
            if first != row.number:
                problems.append(
                    ERR_ROW_DUPLICATE.format(email=row.email, course=row.course, row=first)
                )
        if problems:
            errors.append(RowError(row.number, tuple(problems)))
        elif course is not None and user is not None and day is not None:
            wanted.append((course, user, day))
    if errors:
        raise ImportFailed(errors)
    existing = set(
        TrainingCompletion.objects.filter(course__organisation=organisation).values_list(
            "course_id", "user_id"
        )
    )
    recorded = already = 0
    for course, user, day in wanted:
        if (course.pk, user.pk) in existing:
            already += 1
            continue
        completion = TrainingCompletion(course=course, user=user, completed_on=day, recorded_by=by)
        _set_history_user(completion, by)
        completion.save()
        recorded += 1
    return ImportResult(recorded, already)
