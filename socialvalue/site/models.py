"""The public website's own content: the resource bank, FAQs, pages and lessons learned.

Implements the strategy's "Social value websites" and "Resource bank and training programme"
actions: a resource bank of presentations, webinars, ITT wording, templates and examples of
good bids; recurring questions and who to contact (FAQs); the plain-English Social Value
Policy on its own web page; and a "lessons learned & feedback" process whose results the
social value lead reviews.

Content is written by the social value lead in Markdown and reaches the public only when
published; every change is kept (``simple_history``) with who made it and when.
"""

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from simple_history.models import HistoricalRecords

from socialvalue.core.models import TimeStampedModel
from socialvalue.core.uploads import human_size
from socialvalue.site.files import TYPE_NAMES


class ResourceCategory(models.TextChoices):
    """The shelves of the resource bank, in the order the public pages show them."""

    POLICY = "policy", "Policy"
    PRESENTATIONS = "presentations", "Presentations"
    WEBINARS = "webinars", "Webinars"
    ITT_WORDING = "itt_wording", "ITT wording"
    TEMPLATES = "templates", "Templates"
    GOOD_BIDS = "good_bids", "Examples of good bids"
    GUIDANCE = "guidance", "Guidance"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    SUPPLIERS = "suppliers", "Suppliers"
    COUNCIL_STAFF = "council_staff", "Council staff"


class FileType(models.TextChoices):
    """The kinds of file the resource bank accepts, named by their usual extension."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    XLSX = "xlsx", "Excel spreadsheet"
    PPTX = "pptx", "PowerPoint presentation"
    CSV = "csv", "CSV spreadsheet"


ERR_NO_FILE_OR_LINK = "Upload a file or give a link to the resource."
ERR_FILE_AND_LINK = "Upload a file or give a link, not both."
ERR_LINK_INVALID = (
    "Enter a link starting with https:// or a page of this site starting with /, like /events/."
)


def validate_link(value: str) -> None:
    """A web address (http or https) or a path on this site ("/events/", not "//host")."""
    # "//host" and "/\host" lead browsers to another site: a path must not start with either.
    if re.fullmatch(r"/(?![/\\])[^\s\\]*", value):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(ERR_LINK_INVALID, code="invalid_link") from None


def resource_upload_to(instance: "Resource", filename: str) -> str:
    """Each upload in its own folder, so two files with the same name never collide.

    The default storage has no public URL: files are only ever served by the download view,
    which checks the resource is published.
    """
    return f"resources/{uuid.uuid4().hex}/{PurePath(filename).name}"


class Resource(TimeStampedModel):
    """A document or link in the resource bank: either an uploaded file or a web address."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.CharField(max_length=20, choices=ResourceCategory.choices)
    audience = models.CharField(
        "who it is for", max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    file = models.FileField(upload_to=resource_upload_to, max_length=300, blank=True)
    file_type = models.CharField(max_length=10, choices=FileType.choices, blank=True)
    file_size = models.PositiveBigIntegerField("file size (bytes)", null=True, blank=True)
    file_name = models.CharField("original file name", max_length=255, blank=True)
    url = models.CharField(
        "link",
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="A web address (https://…) or a page of this site (/events/).",
    )
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="site_resource_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.file and self.url:
            raise ValidationError({"url": ERR_FILE_AND_LINK})
        if not self.file and not self.url:
            raise ValidationError({"url": ERR_NO_FILE_OR_LINK})

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def is_external(self) -> bool:
        return bool(self.url) and not self.url.startswith("/")

    @property
    def format_label(self) -> str:
        """What following the resource gives you: "PDF, 1.2 MB", "Link to another website"."""
        if self.file:
            kind = TYPE_NAMES.get(self.file_type, self.file_type.upper())
            return f"{kind}, {human_size(self.file_size)}"
        return "Link to another website" if self.is_external else "Page on this site"


class FaqCategory(models.TextChoices):
    BASICS = "basics", "Social value basics"
    BIDDING = "bidding", "Bidding and evaluation"
    DELIVERY = "delivery", "Delivery and reporting"
    LOCAL = "local", "Local focus and contacts"


class Faq(TimeStampedModel):
    """A recurring question and its answer (Markdown)."""

    question = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used as the question's anchor on /faqs/."
    )
    answer = models.TextField(help_text="Markdown.")
    category = models.CharField(max_length=20, choices=FaqCategory.choices)
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "order", "question"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self) -> str:
        return self.question


class Page(TimeStampedModel):
    """A page of text the lead keeps up to date, such as the Social Value Policy."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown under the title."
    )
    body = models.TextField(help_text="Markdown.")
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FeedbackRole(models.TextChoices):
    SUPPLIER = "supplier", "Supplier or bidder"
    COUNCIL_STAFF = "council_staff", "Council staff"
    PARTNER = "partner", "Partner organisation"
    RESIDENT = "resident", "Resident or community group"
    OTHER = "other", "Other"


class Feedback(models.Model):
    """Lessons learned: what someone found worked, what could be better and their ideas."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        REVIEWED = "reviewed", "Reviewed"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField("who they are", max_length=20, choices=FeedbackRole.choices)
    went_well = models.TextField("what went well", blank=True)
    could_be_better = models.TextField("what could be better", blank=True)
    suggestion = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    notes = models.TextField("lead's notes", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback {self.pk} from {self.name or 'someone who did not give a name'}"
