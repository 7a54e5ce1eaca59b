"""Writes for the website's content and the lessons-learned feedback.

Every change goes through here: the lead's edits (recorded in the item's history with who
made them), publishing and unpublishing, new feedback and its review. Publishing and the
review of feedback are transition tables of the shared workflow (``socialvalue.core.workflow``).
"""

from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from socialvalue.accounts.models import User
from socialvalue.core.history import set_history_user
from socialvalue.core.workflow import Transition, Workflow
from socialvalue.site.files import ERR_FILE_EMPTY, FileCheckError, check_upload
from socialvalue.site.models import ERR_FILE_AND_LINK, Faq, Feedback, Page, Resource

ERR_SLUG_TAKEN = "Another item already uses this web address. Choose a different one."
ERR_STATUS_NEW = "Choose reviewed, actioned or dismissed."
ERR_EMPTY_FEEDBACK = "Tell us what went well, what could be better or a suggestion."

POLICY_SLUG = "policy"
POLICY_TITLE = "Social value policy"
POLICY_SUMMARY = (
    "How the council uses its spending to create jobs, skills, stronger communities and a "
    "healthier environment in Lancashire, in plain English."
)
POLICY_TEXT = Path(__file__).resolve().parent / "data" / "policy.md"

Content = TypeVar("Content", Resource, Faq, Page)

# A resource, FAQ or page is published (again, dated now) or taken down, from either state.
CONTENT_WORKFLOW = Workflow(
    field="is_published",
    transitions={
        "publish": Transition(sources=(False, True), target=True, at=("published_at",)),
        "unpublish": Transition(sources=(False, True), target=False),
    },
)

# The lead's decision on feedback, by the status it gets; it can be changed later.
FEEDBACK_WORKFLOW = Workflow(
    field="status",
    transitions={
        status: Transition(
            sources=tuple(Feedback.Status),
            target=status,
            by=("reviewed_by",),
            at=("reviewed_at",),
            note="notes",
        )
        for status in (
            Feedback.Status.REVIEWED,
            Feedback.Status.ACTIONED,
            Feedback.Status.DISMISSED,
        )
    },
)


def unique_slug(model: type[models.Model], text: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from ``text`` that no other row of ``model`` uses: "x", "x-2", "x-3"…"""
    field = model._meta.get_field("slug")
    max_length = getattr(field, "max_length", 200) or 200
    base = (slugify(text) or "item")[: max_length - 4].strip("-") or "item"
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_slug(item: Content) -> None:
    slug = item.slug
    if type(item)._default_manager.filter(slug=slug).exclude(pk=item.pk).exists():
        raise ValidationError({"slug": ERR_SLUG_TAKEN})


def _save(item: Content, user: User | None) -> Content:
    _check_slug(item)
    item.full_clean()
    # The history records who made the change, even outside a web request.
    set_history_user(item, user)
    item.save()
    return item


# --- Resources -------------------------------------------------------------------------------


def _attach_file(resource: Resource, upload: File) -> None:
    try:
        if upload.file is None:
            raise FileCheckError(ERR_FILE_EMPTY)
        kind = check_upload(name=upload.name or "", size=upload.size or 0, stream=upload.file)
    except FileCheckError as error:
        raise ValidationError({"file": str(error)}) from None
    resource.file = upload
    resource.file_type = kind
    resource.file_size = upload.size
    resource.file_name = Path(upload.name or "").name
    resource.url = ""


def _detach_file(resource: Resource) -> None:
    # The stored file stays: older entries in the history still refer to it.
    resource.file = ""
    resource.file_type = ""
    resource.file_size = None
    resource.file_name = ""


@transaction.atomic
def resource_create(
    *, user: User, upload: File | None = None, slug: str = "", **fields: Any
) -> Resource:
    """A new draft resource: either ``upload`` (a checked file) or ``url`` in ``fields``."""
    resource = Resource(**fields)
    resource.slug = slug or unique_slug(Resource, resource.title)
    if upload is not None:
        if resource.url:
            raise ValidationError({"url": ERR_FILE_AND_LINK})
        _attach_file(resource, upload)
    return _save(resource, user)


@transaction.atomic
def resource_update(
    *, resource: Resource, user: User, upload: File | None = None, **fields: Any
) -> Resource:
    """Change a resource. A new ``upload`` replaces the file (or link); a ``url`` given
    without an upload replaces the file with that link; otherwise the file stays."""
    if upload is not None and fields.get("url"):
        raise ValidationError({"url": ERR_FILE_AND_LINK})
    for name, value in fields.items():
        setattr(resource, name, value)
    if upload is not None:
        _attach_file(resource, upload)
    elif resource.url and resource.file:
        _detach_file(resource)
    if not resource.slug:
        resource.slug = unique_slug(Resource, resource.title, exclude_pk=resource.pk)
    return _save(resource, user)


# --- FAQs and pages --------------------------------------------------------------------------


@transaction.atomic
def faq_create(*, user: User, slug: str = "", **fields: Any) -> Faq:
    faq = Faq(**fields)
    faq.slug = slug or unique_slug(Faq, faq.question)
    return _save(faq, user)


@transaction.atomic
def faq_update(*, faq: Faq, user: User, **fields: Any) -> Faq:
    for name, value in fields.items():
        setattr(faq, name, value)
    if not faq.slug:
        faq.slug = unique_slug(Faq, faq.question, exclude_pk=faq.pk)
    return _save(faq, user)


@transaction.atomic
def page_update(*, page: Page, user: User, **fields: Any) -> Page:
    for name, value in fields.items():
        setattr(page, name, value)
    return _save(page, user)


@transaction.atomic
def page_policy_create(*, user: User | None, publish: bool = False) -> Page:
    """The Social Value Policy page from the shipped text, as a draft unless ``publish``."""
    page = Page(
        slug=POLICY_SLUG,
        title=POLICY_TITLE,
        summary=POLICY_SUMMARY,
        body=POLICY_TEXT.read_text(encoding="utf-8"),
        is_published=publish,
        published_at=timezone.now() if publish else None,
    )
    return _save(page, user)


def page_policy_ensure(*, user: User | None = None) -> bool:
    """Publish the shipped policy page if there is no policy page yet; True if it did."""
    if Page.objects.filter(slug=POLICY_SLUG).exists():
        return False
    page_policy_create(user=user, publish=True)
    return True


# --- Publishing ------------------------------------------------------------------------------


@transaction.atomic
def content_publish(*, item: Content, user: User) -> Content:
    """Make a resource, FAQ or page public (again), dated now."""
    CONTENT_WORKFLOW.move(item, "publish", by=user, save=False)
    return _save(item, user)


@transaction.atomic
def content_unpublish(*, item: Content, user: User) -> Content:
    """Take a resource, FAQ or page down; it stays editable as a draft."""
    CONTENT_WORKFLOW.move(item, "unpublish", by=user, save=False)
    return _save(item, user)


# --- Feedback --------------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *,
    role: str,
    went_well: str = "",
    could_be_better: str = "",
    suggestion: str = "",
    name: str = "",
    email: str = "",
    organisation: str = "",
) -> Feedback:
    """Record lessons-learned feedback for the lead to review. Spam checks come first, in
    the view: by the time this runs the submission is accepted."""
    if not (went_well.strip() or could_be_better.strip() or suggestion.strip()):
        raise ValidationError(ERR_EMPTY_FEEDBACK)
    feedback = Feedback(
        role=role,
        went_well=went_well.strip(),
        could_be_better=could_be_better.strip(),
        suggestion=suggestion.strip(),
        name=name.strip(),
        email=email.strip(),
        organisation=organisation.strip(),
    )
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_review(*, feedback: Feedback, reviewer: User, status: str, notes: str) -> Feedback:
    """The lead's decision on a piece of feedback, with notes; it can be changed later."""
    if status not in FEEDBACK_WORKFLOW.transitions:
        raise ValidationError({"status": ERR_STATUS_NEW})
    FEEDBACK_WORKFLOW.move(feedback, status, by=reviewer, note=notes, save=False)
    feedback.full_clean()
    feedback.save()
    return feedback
