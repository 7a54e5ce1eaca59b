"""Writes for policies and the tender lifecycle.

draft → open → closed → evaluated → awarded, and cancelled from any state before awarded.
Every change goes through a function here that checks the transition is allowed.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.money import format_gbp
from socialvalue.framework.models import FrameworkVersion, Measure, Theme
from socialvalue.framework.selectors import framework_version_current
from socialvalue.procurement.models import (
    DEFAULT_QUALITY_PROFILE,
    Bid,
    PanelMember,
    Policy,
    QualitativeResponse,
    QualityLevel,
    QualityScore,
    Tender,
)

ERR_WEIGHTING_BELOW_MINIMUM = (
    "This tender is worth {value}, at or above the {threshold} threshold, so its social value "
    "weighting must be at least {minimum}% of the total marks."
)
ERR_NOT_BUYER = "Only a buying organisation can run tenders."
ERR_TRANSITION = "A tender that is {current} cannot be {action}."
ERR_DEADLINE_PASSED = "The deadline must be in the future when the tender opens."
ERR_DEADLINE_NOT_PASSED = "The tender cannot close before its deadline ({deadline})."
ERR_MENU_EMPTY = "Choose at least one measure for the menu."
ERR_MENU_VERSION = "Every measure on the menu must come from {version}."
ERR_VERSION_NOT_PUBLISHED = (
    "The tender uses {version}, which is not published. Choose the current framework version."
)
ERR_NOT_EDITABLE = "Only a draft tender can be edited; this one is {status}."
ERR_SCORES_MISSING = (
    "{count} qualitative responses have no consensus score yet; record them before "
    "completing the evaluation."
)
ERR_NO_BIDS = "There are no submitted offers to evaluate."
ERR_CANCEL_REASON = "Give a reason for cancelling the tender."
ERR_NO_FRAMEWORK = "No framework version is published yet."

TRANSITIONS: dict[str, set[str]] = {
    Tender.Status.DRAFT: {Tender.Status.OPEN, Tender.Status.CANCELLED},
    Tender.Status.OPEN: {Tender.Status.CLOSED, Tender.Status.CANCELLED},
    Tender.Status.CLOSED: {Tender.Status.EVALUATED, Tender.Status.CANCELLED},
    Tender.Status.EVALUATED: {Tender.Status.AWARDED, Tender.Status.CANCELLED},
    Tender.Status.AWARDED: set(),
    Tender.Status.CANCELLED: set(),
}
ACTION_NAMES: dict[str, str] = {
    Tender.Status.OPEN: "opened",
    Tender.Status.CLOSED: "closed",
    Tender.Status.EVALUATED: "marked as evaluated",
    Tender.Status.AWARDED: "awarded",
    Tender.Status.CANCELLED: "cancelled",
}

EDITABLE_FIELDS = frozenset(
    {
        "reference",
        "title",
        "description",
        "directorate",
        "service_area",
        "category",
        "estimated_value",
        "duration_months",
        "deadline",
        "sv_weighting",
        "quantitative_share",
        "quant_basis",
        "deliverability_threshold",
    }
)


# --- Policy -------------------------------------------------------------------------------


@transaction.atomic
def policy_for_organisation(*, organisation: Organisation) -> Policy:
    """The organisation's policy, created with the strategy's defaults the first time."""
    policy, created = Policy.objects.get_or_create(organisation=organisation)
    if created or not policy.quality_levels.exists():
        for score, label, descriptor in DEFAULT_QUALITY_PROFILE:
            QualityLevel.objects.get_or_create(
                policy=policy, score=score, defaults={"label": label, "descriptor": descriptor}
            )
    return policy


def quality_levels(tender: Tender) -> list[QualityLevel]:
    """The buying organisation's quality profile, 0 to 5 (the strategy's default the first time)."""
    policy = policy_for_organisation(organisation=tender.organisation)
    return list(policy.quality_levels.order_by("score"))


@transaction.atomic
def policy_update(*, policy: Policy, **fields: Any) -> Policy:
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy


# --- Tender rules and lifecycle --------------------------------------------------------------


def tender_rule_errors(tender: Tender, policy: Policy) -> dict[str, list[str]]:
    """The policy's weighting rule: at or above the threshold, at least the minimum."""
    errors: dict[str, list[str]] = {}
    if (
        tender.estimated_value is not None
        and tender.sv_weighting is not None
        and tender.estimated_value >= policy.threshold
        and tender.sv_weighting < policy.minimum_weighting
    ):
        errors["sv_weighting"] = [
            ERR_WEIGHTING_BELOW_MINIMUM.format(
                value=format_gbp(tender.estimated_value),
                threshold=format_gbp(policy.threshold),
                minimum=_plain(policy.minimum_weighting),
            )
        ]
    return errors


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check(tender: Tender, policy: Policy) -> None:
    try:
        tender.full_clean(exclude=["framework_version", "created_by"])
    except ValidationError as exc:
        errors = exc.message_dict
    else:
        errors = {}
    for field, messages in tender_rule_errors(tender, policy).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tender_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    menu: list[Measure] | None = None,
    **fields: Any,
) -> Tender:
    """A draft tender with the policy's defaults and, unless narrowed, every measure."""
    if organisation.kind != Organisation.Kind.BUYER:
        raise ValidationError(ERR_NOT_BUYER)
    policy = policy_for_organisation(organisation=organisation)
    version = fields.pop("framework_version", None) or framework_version_current()
    if version is None:
        raise ValidationError(ERR_NO_FRAMEWORK)
    fields.setdefault("sv_weighting", policy.minimum_weighting)
    fields.setdefault("quantitative_share", policy.default_quantitative_share)
    fields.setdefault("deliverability_threshold", policy.default_deliverability_threshold)
    tender = Tender(
        organisation=organisation, created_by=created_by, framework_version=version, **fields
    )
    _check(tender, policy)
    tender.save()
    tender_set_menu(
        tender=tender,
        measures=menu if menu is not None else list(Measure.objects.filter(version=version)),
    )
    return tender


@transaction.atomic
def tender_update(*, tender: Tender, **fields: Any) -> Tender:
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.status != Tender.Status.DRAFT:
        raise ValidationError(ERR_NOT_EDITABLE.format(status=tender.get_status_display().lower()))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(tender, name, value)
    _check(tender, policy_for_organisation(organisation=tender.organisation))
    tender.save()
    return tender


@transaction.atomic
def tender_set_menu(*, tender: Tender, measures: list[Measure]) -> Tender:
    if tender.status != Tender.Status.DRAFT:
        raise ValidationError(ERR_NOT_EDITABLE.format(status=tender.get_status_display().lower()))
    if not measures:
        raise ValidationError({"menu": [ERR_MENU_EMPTY]})
    if any(m.version_id != tender.framework_version_id for m in measures):
        raise ValidationError(
            {"menu": [ERR_MENU_VERSION.format(version=tender.framework_version.name)]}
        )
    tender.menu.set(measures)
    return tender


def _transition(tender: Tender, new_status: str) -> Tender:
    locked = Tender.objects.select_for_update().get(pk=tender.pk)
    if new_status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            ERR_TRANSITION.format(
                current=locked.get_status_display().lower(), action=ACTION_NAMES[new_status]
            )
        )
    return locked


@transaction.atomic
def tender_open(*, tender: Tender, now: Any = None) -> Tender:
    """Open for offers. The framework version is pinned from here on."""
    tender = _transition(tender, Tender.Status.OPEN)
    now = now or timezone.now()
    policy = policy_for_organisation(organisation=tender.organisation)
    _check(tender, policy)
    errors: dict[str, list[str]] = {}
    if tender.deadline <= now:
        errors["deadline"] = [ERR_DEADLINE_PASSED]
    _pin_current_version(tender)
    if tender.framework_version.status != FrameworkVersion.Status.PUBLISHED:
        errors["framework_version"] = [
            ERR_VERSION_NOT_PUBLISHED.format(version=tender.framework_version.name)
        ]
    if not tender.menu.exists():
        errors["menu"] = [ERR_MENU_EMPTY]
    if errors:
        raise ValidationError(errors)
    tender.status = Tender.Status.OPEN
    tender.opened_at = now
    tender.save()
    return tender


def _pin_current_version(tender: Tender) -> None:
    """A draft prepared under a version that has since been retired moves to the version
    that replaced it, keeping the menu's measures by code (codes the new version no longer
    has drop out). From opening on, the version never changes."""
    if tender.framework_version.status == FrameworkVersion.Status.PUBLISHED:
        return
    current = FrameworkVersion.objects.filter(
        framework_id=tender.framework_version.framework_id,
        status=FrameworkVersion.Status.PUBLISHED,
    ).first()
    if current is None:
        return
    codes = list(tender.menu.values_list("code", flat=True))
    tender.framework_version = current
    tender.save(update_fields=["framework_version", "updated_at"])
    tender.menu.set(Measure.objects.filter(version=current, code__in=codes))


@transaction.atomic
def tender_close(*, tender: Tender, now: Any = None) -> Tender:
    """Close after the deadline; unsubmitted drafts are left as they are and never seen."""
    tender = _transition(tender, Tender.Status.CLOSED)
    now = now or timezone.now()
    if now < tender.deadline:
        raise ValidationError(
            ERR_DEADLINE_NOT_PASSED.format(
                deadline=date_format(timezone.localtime(tender.deadline), r"j F Y \a\t H:i")
            )
        )
    tender.status = Tender.Status.CLOSED
    tender.closed_at = now
    tender.save()
    return tender


def tenders_close_due(*, now: Any = None) -> list[Tender]:
    """Close every open tender whose deadline has passed (safe to run from cron)."""
    now = now or timezone.now()
    closed = []
    for tender in Tender.objects.filter(status=Tender.Status.OPEN, deadline__lte=now):
        closed.append(tender_close(tender=tender, now=now))
    return closed


@transaction.atomic
def tender_mark_evaluated(*, tender: Tender, now: Any = None) -> Tender:
    """Evaluation is complete when every submitted response has a consensus score."""
    tender = _transition(tender, Tender.Status.EVALUATED)
    if not Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED).exists():
        raise ValidationError(ERR_NO_BIDS)
    unscored = _responses_without_consensus(tender)
    if unscored:
        raise ValidationError(ERR_SCORES_MISSING.format(count=unscored))
    tender.status = Tender.Status.EVALUATED
    tender.evaluated_at = now or timezone.now()
    tender.save()
    return tender


def _responses_without_consensus(tender: Tender) -> int:
    return (
        QualitativeResponse.objects.filter(
            commitment__bid__tender=tender, commitment__bid__status=Bid.Status.SUBMITTED
        )
        .exclude(scores__kind=QualityScore.Kind.CONSENSUS)
        .count()
    )


@transaction.atomic
def tender_cancel(*, tender: Tender, reason: str, now: Any = None) -> Tender:
    tender = _transition(tender, Tender.Status.CANCELLED)
    if not reason.strip():
        raise ValidationError({"cancellation_reason": [ERR_CANCEL_REASON]})
    tender.status = Tender.Status.CANCELLED
    tender.cancelled_at = now or timezone.now()
    tender.cancellation_reason = reason.strip()
    tender.save()
    for bid in Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED):
        bid.status = Bid.Status.UNSUCCESSFUL
        bid.save(update_fields=["status", "updated_at"])
    return tender


# --- Policy settings page ------------------------------------------------------------------

ERR_LEVEL_LABEL = "Enter a label for score {score}."
ERR_LEVEL_DESCRIPTOR = "Enter a descriptor for score {score}."
ERR_LEVEL_SCORE = "Quality levels are scored 0 to 5."


@transaction.atomic
def policy_quality_levels_update(
    *, policy: Policy, levels: dict[int, tuple[str, str]]
) -> list[QualityLevel]:
    """Relabel the quality profile: ``levels`` maps a score (0–5) to (label, descriptor).

    Only the levels that really change are saved, so their history shows real changes.
    Errors are keyed ``level_<score>_label`` and ``level_<score>_descriptor``.
    """
    errors: dict[str, list[str]] = {}
    for score, (label, descriptor) in levels.items():
        if score not in range(6):
            raise ValidationError(ERR_LEVEL_SCORE)
        if not label.strip():
            errors[f"level_{score}_label"] = [ERR_LEVEL_LABEL.format(score=score)]
        if not descriptor.strip():
            errors[f"level_{score}_descriptor"] = [ERR_LEVEL_DESCRIPTOR.format(score=score)]
    if errors:
        raise ValidationError(errors)
    saved = []
    for score, (label, descriptor) in sorted(levels.items()):
        level = QualityLevel.objects.filter(policy=policy, score=score).first()
        if level is None:
            level = QualityLevel(policy=policy, score=score)
        elif level.label == label.strip() and level.descriptor == descriptor.strip():
            continue
        level.label = label.strip()
        level.descriptor = descriptor.strip()
        level.full_clean()
        level.save()
        saved.append(level)
    return saved


@transaction.atomic
def policy_settings_update(
    *, policy: Policy, levels: dict[int, tuple[str, str]], **fields: Any
) -> Policy:
    """Save the policy's figures and its quality profile together, or nothing at all.

    The policy row is saved only when one of its figures changes.
    """
    changed = {name: value for name, value in fields.items() if getattr(policy, name) != value}
    if changed:
        policy = policy_update(policy=policy, **changed)
    policy_quality_levels_update(policy=policy, levels=levels)
    return policy


# --- Menu by theme ----------------------------------------------------------------------------

ERR_MENU_THEMES_EMPTY = "Choose at least one theme for the menu."


@transaction.atomic
def tender_set_menu_by_themes(*, tender: Tender, themes: list[Theme]) -> Tender:
    """Narrow the menu to every measure of the chosen themes."""
    if not themes:
        raise ValidationError({"themes": [ERR_MENU_THEMES_EMPTY]})
    if any(theme.version_id != tender.framework_version_id for theme in themes):
        raise ValidationError(
            {"themes": [ERR_MENU_VERSION.format(version=tender.framework_version.name)]}
        )
    measures = list(
        Measure.objects.filter(version=tender.framework_version, theme__in=themes).order_by(
            "theme__order", "outcome__order", "order"
        )
    )
    return tender_set_menu(tender=tender, measures=measures)


# --- The evaluation panel ---------------------------------------------------------------------

ERR_PANEL_STATUS = "The panel of a tender that is {status} cannot be changed."
ERR_PANEL_SCORING_STARTED = "The panel cannot be changed once scoring has started."
ERR_PANEL_MEMBER = (
    "{name} cannot be on this panel: only evaluators, officers and the social value lead of "
    "{organisation} can."
)
ERR_PANEL_MODERATOR = "Choose a moderator."
PANEL_EDITABLE_STATUSES = (Tender.Status.DRAFT, Tender.Status.OPEN, Tender.Status.CLOSED)
PANEL_ROLES = (User.Role.EVALUATOR, User.Role.OFFICER, User.Role.LEAD)


def panel_lock_reason(tender: Tender) -> str | None:
    """Why the panel can no longer change, or None while it can (until scoring starts)."""
    if tender.status not in PANEL_EDITABLE_STATUSES:
        return ERR_PANEL_STATUS.format(status=tender.get_status_display().lower())
    scoring_started = (
        PanelMember.objects.filter(tender=tender, scores_submitted_at__isnull=False).exists()
        or QualityScore.objects.filter(response__commitment__bid__tender=tender).exists()
    )
    return ERR_PANEL_SCORING_STARTED if scoring_started else None


def panel_candidates(tender: Tender) -> QuerySet[User]:
    """Who may sit on the panel: active evaluators, officers and the lead of the buyer."""
    return User.objects.filter(
        organisation_id=tender.organisation_id, role__in=PANEL_ROLES, is_active=True
    ).order_by("full_name", "email")


@transaction.atomic
def panel_set(*, tender: Tender, members: list[User], moderator: User | None) -> list[PanelMember]:
    """Set the tender's panel. The moderator sits on the panel too and records consensus.

    Members who stay keep their row (and its history); members left out are removed.
    """
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    reason = panel_lock_reason(tender)
    if reason:
        raise ValidationError(reason)
    errors: dict[str, list[str]] = {}
    eligible = set(panel_candidates(tender).values_list("pk", flat=True))
    organisation = tender.organisation.name
    bad = [user for user in members if user.pk not in eligible]
    if bad:
        errors["members"] = [
            ERR_PANEL_MEMBER.format(name=user.full_name or user.email, organisation=organisation)
            for user in bad
        ]
    if moderator is None:
        errors["moderator"] = [ERR_PANEL_MODERATOR]
    elif moderator.pk not in eligible:
        errors["moderator"] = [
            ERR_PANEL_MEMBER.format(
                name=moderator.full_name or moderator.email, organisation=organisation
            )
        ]
    if errors or moderator is None:  # a missing moderator is among the errors
        raise ValidationError(errors)
    wanted = {user.pk: user for user in members}
    wanted[moderator.pk] = moderator
    for member in PanelMember.objects.filter(tender=tender).exclude(user_id__in=wanted):
        member.delete()
    result = []
    for pk, user in wanted.items():
        existing = PanelMember.objects.filter(tender=tender, user_id=pk).first()
        is_moderator = pk == moderator.pk
        if existing is None:
            member = PanelMember(tender=tender, user=user, is_moderator=is_moderator)
            member.full_clean()
            member.save()
            result.append(member)
            continue
        member = existing
        if member.is_moderator != is_moderator:
            member.is_moderator = is_moderator
            member.save(update_fields=["is_moderator"])
        result.append(member)
    return sorted(result, key=lambda m: (not m.is_moderator, m.user.full_name))
