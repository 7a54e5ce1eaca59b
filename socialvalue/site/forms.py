"""Forms of the public website: resource search, feedback, and the lead's content editors."""

from typing import Any

from django import forms

from socialvalue.site.files import ERR_FILE_EMPTY, FileCheckError, check_upload
from socialvalue.site.models import (
    ERR_FILE_AND_LINK,
    ERR_LINK_INVALID,
    ERR_NO_FILE_OR_LINK,
    Audience,
    FaqCategory,
    Feedback,
    FeedbackRole,
    ResourceCategory,
    validate_link,
)

ERR_QUERY_LONG = "Search terms must be 100 characters or fewer."
ERR_CATEGORY_CHOICE = "Choose a category from the list."
ERR_AUDIENCE_CHOICE = "Choose who the resource is for from the list."
ERR_TITLE_REQUIRED = "Enter a title."
ERR_TITLE_LONG = "The title must be 200 characters or fewer."
ERR_SLUG_INVALID = (
    "The web address can only contain lower-case letters, numbers and hyphens, like "
    "social-value-itt-wording."
)
ERR_CATEGORY_REQUIRED = "Choose a category."
ERR_AUDIENCE_REQUIRED = "Choose who the resource is for."
ERR_DESCRIPTION_LONG = "The description must be 10,000 characters or fewer."
ERR_QUESTION_REQUIRED = "Enter the question."
ERR_QUESTION_LONG = "The question must be 250 characters or fewer."
ERR_ANSWER_REQUIRED = "Enter the answer."
ERR_ORDER_INVALID = "Enter the position as a whole number, like 10."
ERR_BODY_REQUIRED = "Enter the text of the page."
ERR_SUMMARY_LONG = "The summary must be 300 characters or fewer."
ERR_ROLE_REQUIRED = "Select who you are."
ERR_EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org."
ERR_NAME_LONG = "Your name must be 200 characters or fewer."
ERR_ORGANISATION_LONG = "The organisation name must be 200 characters or fewer."
ERR_TEXT_LONG = "Your answer must be 5,000 characters or fewer."
ERR_FEEDBACK_EMPTY = "Tell us what went well, what could be better or a suggestion."
ERR_STATUS_REQUIRED = "Choose what happened to the feedback."
ERR_FILE_INVALID = "The selected file could not be uploaded. Choose it again."
ERR_NOTES_LONG = "Your notes must be 5,000 characters or fewer."

MARKDOWN_HINT = (
    "You can use Markdown: a blank line between paragraphs, ## for a heading, - for a list "
    "item, **bold** and [link text](https://example.org). Choose Preview to check it."
)


class ResourceSearchForm(forms.Form):
    """The search box and filters above the resource bank (a plain GET form)."""

    q = forms.CharField(
        label="Search resources",
        required=False,
        max_length=100,
        error_messages={"max_length": ERR_QUERY_LONG},
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "All categories"), *ResourceCategory.choices],
        error_messages={"invalid_choice": ERR_CATEGORY_CHOICE},
    )
    audience = forms.ChoiceField(
        label="Who it is for",
        required=False,
        choices=[
            ("", "Anyone"),
            (Audience.SUPPLIERS, "Suppliers"),
            (Audience.COUNCIL_STAFF, "Council staff"),
        ],
        error_messages={"invalid_choice": ERR_AUDIENCE_CHOICE},
    )

    def value(self, name: str) -> str:
        """A filter's value when it is valid, else "" (an invalid filter is not applied)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "").strip()


class ResourceForm(forms.Form):
    """A resource as the lead writes it: either a file or a link."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": ERR_TITLE_REQUIRED, "max_length": ERR_TITLE_LONG},
    )
    slug = forms.SlugField(
        label="Web address",
        required=False,
        max_length=200,
        help_text="The end of the resource's web address. Leave empty to make one from the title.",
        error_messages={"invalid": ERR_SLUG_INVALID, "max_length": ERR_SLUG_INVALID},
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *ResourceCategory.choices],
        error_messages={"required": ERR_CATEGORY_REQUIRED, "invalid_choice": ERR_CATEGORY_CHOICE},
    )
    audience = forms.ChoiceField(
        label="Who it is for",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_AUDIENCE_REQUIRED, "invalid_choice": ERR_AUDIENCE_REQUIRED},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=10_000,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": ERR_DESCRIPTION_LONG},
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or CSV, smaller than 20 MB.",
        error_messages={"empty": ERR_FILE_EMPTY, "invalid": ERR_FILE_INVALID},
    )
    url = forms.CharField(
        label="Or give a link",
        required=False,
        max_length=500,
        help_text="A web address starting with https://, or a page of this site such as /events/.",
        error_messages={"max_length": ERR_LINK_INVALID},
    )

    def __init__(self, *args: Any, current_file: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_file = current_file
        if current_file:
            self.fields["file"].label = "Replace the file"
            self.fields["file"].help_text = (
                f"The current file is {current_file}. Choose a new file only to replace it: "
                "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or CSV, smaller than 20 MB."
            )
            self.fields["url"].help_text = (
                "Give a link only to use it instead of the file. A web address starting with "
                "https://, or a page of this site such as /events/."
            )

    def clean_url(self) -> str:
        url = str(self.cleaned_data.get("url") or "").strip()
        if url:
            validate_link(url)
        return url

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_upload(name=upload.name or "", size=upload.size or 0, stream=upload.file)
            except FileCheckError as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, url = cleaned.get("file"), cleaned.get("url")
        if "file" in self.errors or "url" in self.errors:
            return cleaned
        if upload and url:
            self.add_error("url", ERR_FILE_AND_LINK)
        elif not upload and not url and not self.current_file:
            self.add_error("file", ERR_NO_FILE_OR_LINK)
        return cleaned

    def fields_for_save(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "slug": data["slug"],
            "category": data["category"],
            "audience": data["audience"],
            "description": data["description"],
            "url": data["url"],
        }


class FaqForm(forms.Form):
    question = forms.CharField(
        label="Question",
        max_length=250,
        error_messages={"required": ERR_QUESTION_REQUIRED, "max_length": ERR_QUESTION_LONG},
    )
    slug = forms.SlugField(
        label="Link name",
        required=False,
        max_length=200,
        help_text="Used to link straight to the question. Leave empty to make one from it.",
        error_messages={"invalid": ERR_SLUG_INVALID, "max_length": ERR_SLUG_INVALID},
    )
    category = forms.ChoiceField(
        label="Category",
        choices=FaqCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_CATEGORY_REQUIRED, "invalid_choice": ERR_CATEGORY_CHOICE},
    )
    order = forms.IntegerField(
        label="Position in its category",
        min_value=0,
        max_value=100_000,
        initial=10,
        help_text="Lower numbers come first.",
        error_messages={
            "required": ERR_ORDER_INVALID,
            "invalid": ERR_ORDER_INVALID,
            "min_value": ERR_ORDER_INVALID,
            "max_value": ERR_ORDER_INVALID,
        },
    )
    answer = forms.CharField(
        label="Answer",
        max_length=10_000,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": ERR_ANSWER_REQUIRED, "max_length": ERR_DESCRIPTION_LONG},
    )


class PageForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": ERR_TITLE_REQUIRED, "max_length": ERR_TITLE_LONG},
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=300,
        help_text="One sentence shown under the title.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": ERR_SUMMARY_LONG},
    )
    body = forms.CharField(
        label="Text of the page",
        max_length=50_000,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": ERR_BODY_REQUIRED},
    )


TEXT_LIMIT = 5_000


def _answer(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": ERR_TEXT_LONG},
    )


class FeedbackForm(forms.Form):
    """Lessons learned from anyone: suppliers, staff, partners and residents.

    The spam checks (a honeypot and a signed time the form was shown) are made by the view
    before it looks at the answers; their inputs are in the template, not in this form.
    """

    role = forms.ChoiceField(
        label="Who are you?",
        choices=FeedbackRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_ROLE_REQUIRED, "invalid_choice": ERR_ROLE_REQUIRED},
    )
    went_well = _answer(
        "What went well?", "For example, a tender, an event or a page of this site."
    )
    could_be_better = _answer("What could be better?", "Tell us what was hard or unclear.")
    suggestion = _answer("Do you have a suggestion?", "An idea for the council or its suppliers.")
    name = forms.CharField(
        label="Your name",
        required=False,
        max_length=200,
        error_messages={"max_length": ERR_NAME_LONG},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Only if you would like a reply. We will not use it for anything else.",
        error_messages={"invalid": ERR_EMAIL_INVALID},
    )
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        error_messages={"max_length": ERR_ORGANISATION_LONG},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        texts = ("went_well", "could_be_better", "suggestion")
        if not any(str(cleaned.get(name) or "").strip() for name in texts) and not any(
            name in self.errors for name in texts
        ):
            self.add_error("went_well", ERR_FEEDBACK_EMPTY)
        return cleaned

    def answers(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "role",
                "went_well",
                "could_be_better",
                "suggestion",
                "name",
                "email",
                "organisation",
            )
        }


class FeedbackReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened to this feedback?",
        choices=[c for c in Feedback.Status.choices if c[0] != Feedback.Status.NEW],
        widget=forms.RadioSelect,
        error_messages={"required": ERR_STATUS_REQUIRED, "invalid_choice": ERR_STATUS_REQUIRED},
    )
    notes = forms.CharField(
        label="Your notes",
        required=False,
        max_length=TEXT_LIMIT,
        help_text="What you did or decided, for the record. Only the social value lead sees them.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": ERR_NOTES_LONG},
    )
