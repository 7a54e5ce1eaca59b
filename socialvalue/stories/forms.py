"""Forms of case studies: the gallery's filters, the template authors fill in, the review."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialvalue.contracts.models import Contract
from socialvalue.core.forms import form_field
from socialvalue.core.money import FIGURE
from socialvalue.framework.models import Measure, Theme
from socialvalue.stories.images import (
    ERR_IMAGE_EMPTY,
    ERR_IMAGE_TYPE,
    PreparedImage,
    image_check_size,
    image_prepare,
)
from socialvalue.stories.models import DISTRICT_CHOICES, MAX_FIGURES
from socialvalue.stories.services import (
    EARLIEST_YEAR,
    ERR_ALT_REQUIRED,
    ERR_FIGURE_INCOMPLETE,
    ERR_NO_THEMES,
    ERR_RETURN_NOTE,
    ERR_UNPUBLISH_NOTE,
    ERR_YEAR_RANGE,
)

ERR_THEME_CHOICE = "Choose a theme from the list."
ERR_DISTRICT_CHOICE = "Choose a district from the list."
ERR_YEAR_CHOICE = "Choose a year from the list."
ERR_TITLE_REQUIRED = "Enter a title for the case study."
ERR_TITLE_LONG = "The title must be 150 characters or fewer."
ERR_DISTRICT_REQUIRED = "Choose the district where the work took place."
ERR_YEAR_REQUIRED = "Enter the year the work was delivered, like 2025."
ERR_YEAR_INVALID = "The year must be a whole year, like 2025."
ERR_SUMMARY_REQUIRED = "Enter a short summary of the case study."
ERR_SUMMARY_LONG = "The summary must be 400 characters or fewer."
ERR_CHALLENGE_REQUIRED = "Describe the challenge or need the work responded to."
ERR_DONE_REQUIRED = "Describe what was done."
ERR_OUTCOMES_REQUIRED = "Describe the outcomes: what changed, and for whom."
ERR_TEXT_LONG = "This must be 6,000 characters or fewer."
ERR_QUOTE_LONG = "The quote must be 1,000 characters or fewer."
ERR_ATTRIBUTION_REQUIRED = "Say who the quote is from, like “Sam, apprentice”."
ERR_CONTRACT_CHOICE = "Choose one of your organisation's contracts, or no contract."
ERR_UNKNOWN_THEME = "Choose themes from the list."
ERR_UNKNOWN_MEASURE = "Choose measures from the list."
ERR_FIGURE_NUMBER = "Outcome figure {n}: enter a number, like 6 or 1240.5."
ERR_FIGURE_NEGATIVE = "Outcome figure {n}: the number must be 0 or more."
ERR_DECISION_REQUIRED = "Choose whether to publish the case study or return it."
ERR_ALT_LONG = "The image description must be 250 characters or fewer."

NOT_IN_FRAMEWORK = "No longer in the current framework"
SUMMARY_MAX = 400
TEXT_MAX = 6000


# --- The gallery's filters --------------------------------------------------------------------


class CaseStudyFilterForm(forms.Form):
    """The filters above the gallery (a plain GET form)."""

    theme = forms.ChoiceField(label="Theme", required=False)
    district = forms.ChoiceField(label="District", required=False)
    year = forms.ChoiceField(label="Year", required=False)

    def __init__(
        self, data: Any = None, *, themes: list[Theme], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self._choice_field("theme").choices = [("", "Any theme")] + [
            (t.slug, t.name) for t in themes
        ]
        self._choice_field("district").choices = [("", "Any district"), *DISTRICT_CHOICES]
        self._choice_field("year").choices = [("", "Any year")] + [(str(y), str(y)) for y in years]
        for name, message in (
            ("theme", ERR_THEME_CHOICE),
            ("district", ERR_DISTRICT_CHOICE),
            ("year", ERR_YEAR_CHOICE),
        ):
            self.fields[name].error_messages["invalid_choice"] = message

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return form_field(self, name, forms.ChoiceField)

    def value(self, name: str) -> str:
        """A filter's value when it is valid, else "" (an invalid filter is not applied)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")


# --- The case study template ------------------------------------------------------------------


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.reference} – {obj.title}"


def _text(label: str, required_message: str, help_text: str, rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message, "max_length": ERR_TEXT_LONG},
    )


MARKDOWN_HINT = (
    " You can use Markdown: a blank line starts a new paragraph, “- ” starts a bullet point and "
    "**two stars** make text bold."
)


class CaseStudyForm(forms.Form):
    """The case study template: what, where, the story in three parts, figures and a photo."""

    title = forms.CharField(
        label="Title",
        help_text="Say what happened, like “Six local apprentices on the A59 resurfacing”.",
        max_length=150,
        error_messages={"required": ERR_TITLE_REQUIRED, "max_length": ERR_TITLE_LONG},
    )
    contract = ContractChoiceField(
        label="Contract",
        queryset=Contract.objects.none(),
        required=False,
        empty_label="Not about a particular contract",
        help_text="The contract the work was delivered on, if there is one.",
        error_messages={"invalid_choice": ERR_CONTRACT_CHOICE},
    )
    district = forms.ChoiceField(
        label="District",
        choices=[("", "Choose a district"), *DISTRICT_CHOICES],
        help_text="Where in Lancashire the work took place.",
        error_messages={"required": ERR_DISTRICT_REQUIRED, "invalid_choice": ERR_DISTRICT_CHOICE},
    )
    year = forms.IntegerField(
        label="Year of delivery",
        help_text="For example, 2025.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": ERR_YEAR_REQUIRED, "invalid": ERR_YEAR_INVALID},
    )
    theme_slugs = forms.MultipleChoiceField(
        label="Themes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The themes of the framework the case study shows. Select all that apply.",
        error_messages={"invalid_choice": ERR_UNKNOWN_THEME},
    )
    measure_codes = forms.MultipleChoiceField(
        label="Measures",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "The measures the work delivered, if any. Their themes are added for you. "
            "Select all that apply."
        ),
        error_messages={"invalid_choice": ERR_UNKNOWN_MEASURE},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="One or two sentences, shown in the list of case studies. Plain text.",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_SUMMARY_REQUIRED, "max_length": ERR_SUMMARY_LONG},
    )
    challenge = _text(
        "The challenge",
        ERR_CHALLENGE_REQUIRED,
        "The local need or problem the work responded to, and who it affected." + MARKDOWN_HINT,
    )
    what_was_done = _text(
        "What was done",
        ERR_DONE_REQUIRED,
        "Who did what, when, and with which partners." + MARKDOWN_HINT,
        rows=8,
    )
    outcomes = _text(
        "Outcomes",
        ERR_OUTCOMES_REQUIRED,
        "What changed, and for whom. Put the main numbers in the figures below too."
        + MARKDOWN_HINT,
    )
    quote = forms.CharField(
        label="Quote",
        required=False,
        max_length=1000,
        help_text="Words from someone who took part or benefited. Plain text, without quote marks.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": ERR_QUOTE_LONG},
    )
    quote_attribution = forms.CharField(
        label="Who said it",
        required=False,
        max_length=200,
        help_text="A name and role they agreed to, like “Sam, apprentice at Ribble Highways”.",
    )
    image = forms.FileField(
        label="Upload a photograph",
        required=False,
        help_text="A JPG or PNG file, smaller than 5 MB.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"empty": ERR_IMAGE_EMPTY, "invalid": ERR_IMAGE_TYPE},
    )
    remove_image = forms.BooleanField(label="Remove the current photograph", required=False)
    image_alt = forms.CharField(
        label="Describe the photograph",
        required=False,
        max_length=250,
        help_text=(
            "For people who cannot see it: what it shows, like “Two apprentices in hi-vis "
            "jackets laying tarmac”. Needed if there is a photograph."
        ),
        error_messages={"max_length": ERR_ALT_LONG},
    )
    consent_to_publish = forms.BooleanField(
        label=(
            "The people and organisations named or shown in this case study have agreed to it "
            "being published"
        ),
        required=False,
        help_text="You must confirm this before you send the case study for review.",
    )

    def __init__(
        self,
        *args: Any,
        contracts: Any,
        themes: list[Theme],
        measures: list[Measure],
        has_image: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_image = has_image
        self.prepared_image: PreparedImage | None = None
        contract_field = form_field(self, "contract", forms.ModelChoiceField)
        contract_field.queryset = contracts
        theme_names = {t.slug: t.name for t in themes}
        kept_themes = [s for s in self.initial.get("theme_slugs") or [] if s not in theme_names]
        self._multi("theme_slugs").choices = [(t.slug, t.name) for t in themes] + [
            (slug, f"{slug} ({NOT_IN_FRAMEWORK.lower()})") for slug in kept_themes
        ]
        self.theme_of = {m.code: m.theme.name for m in measures}
        kept_codes = [c for c in self.initial.get("measure_codes") or [] if c not in self.theme_of]
        self._multi("measure_codes").choices = [(m.code, m.description) for m in measures] + [
            (code, NOT_IN_FRAMEWORK) for code in kept_codes
        ]
        for n in range(1, MAX_FIGURES + 1):
            self.fields[f"figure_{n}_label"] = forms.CharField(
                label="What was achieved", required=False, max_length=100
            )
            self.fields[f"figure_{n}_value"] = forms.DecimalField(
                label="Number",
                required=False,
                max_digits=FIGURE.digits,
                decimal_places=FIGURE.places,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                error_messages={
                    "invalid": ERR_FIGURE_NUMBER.format(n=n),
                    **{
                        code: f"{message}."
                        for code, message in FIGURE.error_messages(f"Outcome figure {n}").items()
                    },
                },
            )
            self.fields[f"figure_{n}_unit"] = forms.CharField(
                label="Unit", required=False, max_length=40
            )
        self.fields["title"].widget.attrs["spellcheck"] = "true"
        if not has_image:
            del self.fields["remove_image"]
        # In the order of the page, so the error summary lists problems top to bottom.
        figures = [
            f"figure_{n}_{part}"
            for n in range(1, MAX_FIGURES + 1)
            for part in ("label", "value", "unit")
        ]
        self.order_fields(
            [
                "title",
                "contract",
                "district",
                "year",
                "theme_slugs",
                "measure_codes",
                "summary",
                "challenge",
                "what_was_done",
                "outcomes",
                *figures,
                "quote",
                "quote_attribution",
                "remove_image",
                "image",
                "image_alt",
                "consent_to_publish",
            ]
        )

    def _multi(self, name: str) -> forms.MultipleChoiceField:
        return form_field(self, name, forms.MultipleChoiceField)

    # Grouped for the template.
    def measure_groups(self) -> list[tuple[str, list[Any]]]:
        """The measure checkboxes grouped by theme, in framework order."""
        groups: list[tuple[str, list[Any]]] = []
        for option in self["measure_codes"].subwidgets:
            theme = self.theme_of.get(str(option.data["value"]), NOT_IN_FRAMEWORK)
            if not groups or groups[-1][0] != theme:
                groups.append((theme, []))
            groups[-1][1].append(option)
        return groups

    def figure_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (
                n,
                self[f"figure_{n}_label"],
                self[f"figure_{n}_value"],
                self[f"figure_{n}_unit"],
            )
            for n in range(1, MAX_FIGURES + 1)
        ]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        last = timezone.localdate().year
        if not EARLIEST_YEAR <= year <= last:
            raise ValidationError(ERR_YEAR_RANGE.format(first=EARLIEST_YEAR, last=last))
        return year

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if not upload:
            return upload
        if upload.size is not None:
            # Refused before reading a large file into memory.
            image_check_size(upload.size)
        self.prepared_image = image_prepare(upload.read())
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in range(1, MAX_FIGURES + 1):
            label_name, value_name = f"figure_{n}_label", f"figure_{n}_value"
            if value_name in self.errors:
                continue
            label = (cleaned.get(label_name) or "").strip()
            value: Decimal | None = cleaned.get(value_name)
            unit = (cleaned.get(f"figure_{n}_unit") or "").strip()
            if value is not None and value < 0:
                self.add_error(value_name, ERR_FIGURE_NEGATIVE.format(n=n))
            elif value is None and (label or unit):
                self.add_error(value_name, ERR_FIGURE_INCOMPLETE.format(n=n))
            elif value is not None and not label:
                self.add_error(label_name, ERR_FIGURE_INCOMPLETE.format(n=n))
        quote = (cleaned.get("quote") or "").strip()
        if quote and not (cleaned.get("quote_attribution") or "").strip():
            self.add_error("quote_attribution", ERR_ATTRIBUTION_REQUIRED)
        keeps_image = self.has_image and not cleaned.get("remove_image")
        has_alt = bool((cleaned.get("image_alt") or "").strip())
        needs_alt = self.prepared_image is not None or keeps_image
        if needs_alt and not has_alt and "image_alt" not in self.errors:
            self.add_error("image_alt", ERR_ALT_REQUIRED)
        if (
            "theme_slugs" in cleaned
            and "measure_codes" in cleaned
            and not cleaned["theme_slugs"]
            and not cleaned["measure_codes"]
        ):
            self.add_error("theme_slugs", ERR_NO_THEMES)
        return cleaned

    def content(self) -> dict[str, Any]:
        """The cleaned data in the shape ``case_study_save`` takes."""
        data = self.cleaned_data
        figures = [
            {
                "label": data.get(f"figure_{n}_label") or "",
                "value": data.get(f"figure_{n}_value"),
                "unit": data.get(f"figure_{n}_unit") or "",
            }
            for n in range(1, MAX_FIGURES + 1)
        ]
        return {
            "title": data["title"],
            "contract": data.get("contract"),
            "district": data["district"],
            "year": data["year"],
            "theme_slugs": list(data.get("theme_slugs") or []),
            "measure_codes": list(data.get("measure_codes") or []),
            "summary": data["summary"],
            "challenge": data["challenge"],
            "what_was_done": data["what_was_done"],
            "outcomes": data["outcomes"],
            "quote": data.get("quote") or "",
            "quote_attribution": data.get("quote_attribution") or "",
            "image_alt": data.get("image_alt") or "",
            "consent_to_publish": bool(data.get("consent_to_publish")),
            "figures": figures,
        }


class ReviewForm(forms.Form):
    """The lead's decision on a case study waiting for review."""

    PUBLISH = "publish"
    RETURN = "return"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (PUBLISH, "Publish the case study"),
            (RETURN, "Return it to the author for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": ERR_DECISION_REQUIRED, "invalid_choice": ERR_DECISION_REQUIRED},
    )
    note = forms.CharField(
        label="Note to the author",
        help_text="Required if you return it: say what needs to change.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.RETURN and not cleaned.get("note", "").strip():
            self.add_error("note", ERR_RETURN_NOTE)
        return cleaned


class UnpublishForm(forms.Form):
    """The lead takes a published case study down."""

    note = forms.CharField(
        label="Why it is being taken down",
        help_text="The author sees this note and can change the case study and send it again.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ERR_UNPUBLISH_NOTE},
    )
