"""Writes of case studies: drafting, sending for review, and the lead's decisions.

A case study moves only through these functions::

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                 │   │                   │
      └────withdraw─────┘   └─return─▶ returned ◀┘ unpublish
                                        │
                                        └──submit──▶ submitted

The author's organisation drafts, edits (draft or returned only), submits and withdraws; the
social value lead publishes, returns with a note, and unpublishes with a note. The moves are
``CASE_STUDY_WORKFLOW``, a transition table of the shared workflow (``socialvalue.core.workflow``).
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract
from socialvalue.core.access import require_lead
from socialvalue.core.history import set_history_user
from socialvalue.core.money import FIGURE
from socialvalue.core.workflow import Transition, Workflow
from socialvalue.stories.images import PreparedImage
from socialvalue.stories.models import (
    DISTRICT_NAMES,
    MAX_FIGURES,
    CaseStudy,
    CaseStudyFigure,
    CaseStudyMeasure,
    CaseStudyTheme,
)
from socialvalue.stories.selectors import (
    FrameworkIndex,
    case_study_author_organisation,
    contracts_for_author,
    moderated_by,
)

# Paths under /case-studies/ that a case study's slug must not take.
RESERVED_SLUGS = frozenset({"mine", "new", "review"})
EARLIEST_YEAR = 2000

ERR_NOT_MODERATOR = (
    "Only the social value lead of the organisation the case study belongs to, or of the "
    "organisation running the service, can decide on it."
)
ERR_NOT_YOUR_CASE_STUDY = "This case study belongs to another organisation."
ERR_NOT_EDITABLE = (
    "Only a draft or a case study returned for changes can be changed; this one is {status}."
)
ERR_NOT_SUBMITTABLE = (
    "Only a draft or a case study returned for changes can be sent for review; "
    "this one is {status}."
)
ERR_NOT_WITHDRAWABLE = (
    "Only a case study waiting for review can be withdrawn; this one is {status}."
)
ERR_NOT_SUBMITTED = (
    "Only a case study waiting for review can be published or returned; this one is {status}."
)
ERR_NOT_PUBLISHED = "Only a published case study can be unpublished; this one is {status}."
ERR_CONSENT = (
    "Confirm that the people and organisations named in the case study agreed to it being "
    "published."
)
ERR_RETURN_NOTE = "Say what needs to change, so that the author can put it right."
ERR_UNPUBLISH_NOTE = "Say why the case study is being taken down, so that the author can act on it."
ERR_CONTRACT_NOT_YOURS = "Choose one of your organisation's contracts, or no contract."
ERR_NO_THEMES = "Choose at least one theme, or a measure."
ERR_UNKNOWN_THEME = "{slug} is not a theme of the framework."
ERR_UNKNOWN_MEASURE = "{code} is not a measure of the framework."
ERR_UNKNOWN_DISTRICT = "Choose a Lancashire district."
ERR_YEAR_RANGE = "The year of delivery must be between {first} and {last}."
ERR_ALT_REQUIRED = "Describe the image for people who cannot see it."
ERR_TOO_MANY_FIGURES = "Give at most 5 outcome figures."
ERR_FIGURE_INCOMPLETE = "Outcome figure {n} needs a description and a number."

CONTENT_FIELDS = (
    "title",
    "district",
    "year",
    "summary",
    "challenge",
    "what_was_done",
    "outcomes",
    "quote",
    "quote_attribution",
    "image_alt",
    "consent_to_publish",
)

_Status = CaseStudy.Status

# The moves drawn in the module docstring, and what each records.
CASE_STUDY_WORKFLOW = Workflow(
    field="status",
    transitions={
        "submit": Transition(
            sources=CaseStudy.EDITABLE_STATUSES,
            target=_Status.SUBMITTED,
            refused=ERR_NOT_SUBMITTABLE,
            at=("submitted_at",),
        ),
        "withdraw": Transition(
            sources=(_Status.SUBMITTED,), target=_Status.DRAFT, refused=ERR_NOT_WITHDRAWABLE
        ),
        "publish": Transition(
            sources=(_Status.SUBMITTED,),
            target=_Status.PUBLISHED,
            refused=ERR_NOT_SUBMITTED,
            by=("reviewed_by",),
            at=("published_at", "reviewed_at"),
            note="review_note",
        ),
        "return": Transition(
            sources=(_Status.SUBMITTED,),
            target=_Status.RETURNED,
            refused=ERR_NOT_SUBMITTED,
            by=("reviewed_by",),
            at=("reviewed_at",),
            note="review_note",
            note_required=ERR_RETURN_NOTE,
        ),
        "unpublish": Transition(
            sources=(_Status.PUBLISHED,),
            target=_Status.RETURNED,
            refused=ERR_NOT_PUBLISHED,
            by=("reviewed_by",),
            at=("reviewed_at",),
            cleared=("published_at",),
            note="review_note",
            note_required=ERR_UNPUBLISH_NOTE,
        ),
    },
)


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:150].strip("-") or "case-study"
    slug, n = base, 1
    others = CaseStudy.objects.exclude(pk=exclude_pk) if exclude_pk else CaseStudy.objects.all()
    while slug in RESERVED_SLUGS or others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _delete_file_later(name: str) -> None:
    """Remove a stored image once the change that replaced it is committed."""
    if not name:
        return
    storage = CaseStudy._meta.get_field("image").storage
    transaction.on_commit(lambda: storage.delete(name))


def _clean_links(
    content: dict[str, Any], index: FrameworkIndex, kept: CaseStudy | None
) -> tuple[list[str], list[str]]:
    """Theme slugs and measure codes, checked against the framework, themes of the chosen
    measures added. Codes the case study already has stay valid even if the current framework
    no longer lists them."""
    errors: dict[str, list[str]] = {}
    kept_themes = set(kept.theme_slugs) if kept else set()
    kept_codes = set(kept.measure_codes) if kept else set()
    codes = list(dict.fromkeys(str(c).strip() for c in content.get("measure_codes") or []))
    codes = [c for c in codes if c]
    for code in codes:
        if code not in index.measures and code not in kept_codes:
            errors.setdefault("measure_codes", []).append(ERR_UNKNOWN_MEASURE.format(code=code))
    slugs = list(dict.fromkeys(str(s).strip() for s in content.get("theme_slugs") or []))
    slugs = [s for s in slugs if s]
    for slug in slugs:
        if slug not in index.themes and slug not in kept_themes:
            errors.setdefault("theme_slugs", []).append(ERR_UNKNOWN_THEME.format(slug=slug))
    for code in codes:
        measure = index.measures.get(code)
        if measure is not None and measure.theme.slug not in slugs:
            slugs.append(measure.theme.slug)
    if not slugs and "theme_slugs" not in errors:
        errors["theme_slugs"] = [ERR_NO_THEMES]
    if errors:
        raise ValidationError(errors)
    return index.sort_theme_slugs(slugs), index.sort_measure_codes(codes)


def _clean_figures(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for n, figure in enumerate(figures, start=1):
        label = " ".join(str(figure.get("label") or "").split())
        unit = " ".join(str(figure.get("unit") or "").split())
        value = figure.get("value")
        if not label and value is None and not unit:
            continue
        if not label or value is None:
            raise ValidationError({"figures": ERR_FIGURE_INCOMPLETE.format(n=n)})
        problem = FIGURE.problem(Decimal(value), f"Outcome figure {n}")
        if problem is not None:
            raise ValidationError({"figures": f"{problem}."})
        cleaned.append({"label": label, "value": Decimal(value), "unit": unit})
    if len(cleaned) > MAX_FIGURES:
        raise ValidationError({"figures": ERR_TOO_MANY_FIGURES})
    return cleaned


def _check_contract(contract: Contract | None, user: User) -> None:
    if contract is not None and not contracts_for_author(user).filter(pk=contract.pk).exists():
        raise ValidationError({"contract": ERR_CONTRACT_NOT_YOURS})


@transaction.atomic
def case_study_save(
    *,
    user: User,
    content: dict[str, Any],
    case_study: CaseStudy | None = None,
    image: PreparedImage | None = None,
    remove_image: bool = False,
    today: date | None = None,
) -> CaseStudy:
    """Create a case study for the user's organisation, or change a draft or returned one.

    ``content`` has the ``CONTENT_FIELDS``, ``contract`` (a Contract or None),
    ``theme_slugs``, ``measure_codes`` and ``figures`` (up to five ``{label, value, unit}``).
    ``image`` replaces the photograph (already checked by ``image_prepare``);
    ``remove_image`` takes it away.
    """
    organisation = case_study_author_organisation(user)
    if case_study is None:
        case_study = CaseStudy(organisation=organisation, author=user)
    else:
        case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
        if case_study.organisation_id != organisation.pk:
            raise PermissionDenied(ERR_NOT_YOUR_CASE_STUDY)
        if not case_study.is_editable:
            raise ValidationError(
                ERR_NOT_EDITABLE.format(status=CASE_STUDY_WORKFLOW.state_text(case_study))
            )

    errors: dict[str, list[str]] = {}
    for name in CONTENT_FIELDS:
        if name in content:
            value = content[name]
            setattr(case_study, name, value.strip() if isinstance(value, str) else value)
    contract = content.get("contract")
    _check_contract(contract, user)
    case_study.contract = contract
    if case_study.district not in DISTRICT_NAMES:
        errors["district"] = [ERR_UNKNOWN_DISTRICT]
    last_year = (today or timezone.localdate()).year
    if case_study.year is None or not EARLIEST_YEAR <= int(case_study.year) <= last_year:
        errors["year"] = [ERR_YEAR_RANGE.format(first=EARLIEST_YEAR, last=last_year)]
    index = FrameworkIndex.current()
    existing = case_study if case_study.pk else None
    try:
        theme_slugs, measure_codes = _clean_links(content, index, existing)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        figures = _clean_figures(list(content.get("figures") or []))
    except ValidationError as error:
        errors.update(error.message_dict)

    old_image = case_study.image.name if case_study.image else ""
    will_have_image = image is not None or (bool(old_image) and not remove_image)
    if will_have_image and not case_study.image_alt:
        errors["image_alt"] = [ERR_ALT_REQUIRED]
    if errors:
        raise ValidationError(errors)

    if case_study.pk is None or "title" in content:
        case_study.slug = _unique_slug(case_study.title, case_study.pk)
    if image is not None:
        case_study.image.save(
            f"{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content), save=False
        )
        case_study.image_width, case_study.image_height = image.width, image.height
        _delete_file_later(old_image)
    elif remove_image and old_image:
        case_study.image = ""
        case_study.image_alt = ""
        case_study.image_width = case_study.image_height = None
        _delete_file_later(old_image)
    if not case_study.image:
        case_study.image_alt = ""
    set_history_user(case_study, user)
    case_study.full_clean()
    case_study.save()

    case_study.theme_links.all().delete()
    CaseStudyTheme.objects.bulk_create(
        CaseStudyTheme(case_study=case_study, slug=slug, order=n)
        for n, slug in enumerate(theme_slugs)
    )
    case_study.measure_links.all().delete()
    CaseStudyMeasure.objects.bulk_create(
        CaseStudyMeasure(case_study=case_study, code=code, order=n)
        for n, code in enumerate(measure_codes)
    )
    case_study.figures.all().delete()
    for n, figure in enumerate(figures):
        CaseStudyFigure.objects.create(case_study=case_study, order=n, **figure)
    return case_study


def _locked(case_study: CaseStudy) -> CaseStudy:
    return CaseStudy.objects.select_for_update().get(pk=case_study.pk)


def _author_check(case_study: CaseStudy, user: User) -> None:
    if case_study.organisation_id != case_study_author_organisation(user).pk:
        raise PermissionDenied(ERR_NOT_YOUR_CASE_STUDY)


@transaction.atomic
def case_study_submit(*, case_study: CaseStudy, user: User) -> CaseStudy:
    """Send a draft, or a case study returned for changes, to the lead for review."""
    case_study = _locked(case_study)
    _author_check(case_study, user)
    CASE_STUDY_WORKFLOW.check(case_study, "submit")
    if not case_study.consent_to_publish:
        raise ValidationError({"consent_to_publish": ERR_CONSENT})
    return CASE_STUDY_WORKFLOW.move(case_study, "submit", by=user)


@transaction.atomic
def case_study_withdraw(*, case_study: CaseStudy, user: User) -> CaseStudy:
    """Take a case study back from review, into draft."""
    case_study = _locked(case_study)
    _author_check(case_study, user)
    return CASE_STUDY_WORKFLOW.move(case_study, "withdraw", by=user)


def _require_moderator(reviewer: User, case_study: CaseStudy) -> None:
    """Only a lead who moderates this case study decides on it (see ``moderated_by``)."""
    require_lead(reviewer)
    if not CaseStudy.objects.filter(moderated_by(reviewer), pk=case_study.pk).exists():
        raise PermissionDenied(ERR_NOT_MODERATOR)


@transaction.atomic
def case_study_publish(
    *, case_study: CaseStudy, reviewer: User, note: str = "", at: datetime | None = None
) -> CaseStudy:
    """The lead publishes a case study waiting for review; ``published_at`` is now (or
    ``at``, for loading past case studies)."""
    _require_moderator(reviewer, case_study)
    case_study = _locked(case_study)
    CASE_STUDY_WORKFLOW.check(case_study, "publish")
    if not case_study.consent_to_publish:
        raise ValidationError({"consent_to_publish": ERR_CONSENT})
    return CASE_STUDY_WORKFLOW.move(case_study, "publish", by=reviewer, note=note, at=at)


@transaction.atomic
def case_study_return(*, case_study: CaseStudy, reviewer: User, note: str) -> CaseStudy:
    """The lead sends a case study waiting for review back to its author, saying why."""
    _require_moderator(reviewer, case_study)
    case_study = _locked(case_study)
    return CASE_STUDY_WORKFLOW.move(case_study, "return", by=reviewer, note=note)


@transaction.atomic
def case_study_unpublish(*, case_study: CaseStudy, reviewer: User, note: str) -> CaseStudy:
    """The lead takes a published case study down; it goes back to its author as returned.

    ``published_at`` is cleared, so the quarter's count of published case studies drops; if
    it is published again, it counts in the quarter it is published in.
    """
    _require_moderator(reviewer, case_study)
    case_study = _locked(case_study)
    return CASE_STUDY_WORKFLOW.move(case_study, "unpublish", by=reviewer, note=note)
