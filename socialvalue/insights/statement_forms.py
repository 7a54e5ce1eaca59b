"""The forms of the annual statement pages."""

from typing import Any

from django import forms

from socialvalue.core.forms import form_field
from socialvalue.insights.statement import MAX_BODY, year_label, years_open

ERR_YEAR_REQUIRED = "Choose the financial year the statement reports on"
ERR_BODY_REQUIRED = "Write the text of the section"


class StatementCreateForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=(),
        help_text="The year the statement reports on.",
        error_messages={"required": ERR_YEAR_REQUIRED, "invalid_choice": ERR_YEAR_REQUIRED},
    )

    def __init__(self, *args: Any, taken: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "year", forms.TypedChoiceField)
        field.choices = [("", "Choose a year")] + [
            (year, year_label(year)) for year in years_open() if year not in taken
        ]


class StatementTitleForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the title of the statement",
            "max_length": "The title must be 200 characters or fewer",
        },
    )


class SectionForm(forms.Form):
    body = forms.CharField(
        label="Text of the section",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        error_messages={
            "required": ERR_BODY_REQUIRED,
            "max_length": f"The section must be {MAX_BODY:,} characters or fewer",
        },
    )

    def __init__(
        self, *args: Any, help_text: str = "", required: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = help_text
        # The achievements section may be left to its figures alone.
        self.fields["body"].required = required
