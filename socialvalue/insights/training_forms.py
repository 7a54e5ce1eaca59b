"""The forms of the training records pages."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.contract_forms.fields import DateInputsForm, DayMonthYearField
from socialvalue.core.forms import form_field
from socialvalue.insights.models import TrainingCourse
from socialvalue.insights.training import courses_of, staff_of

MAX_IMPORT_BYTES = 1024 * 1024

ERR_KIND_REQUIRED = "Choose the kind of course"
ERR_COURSE_REQUIRED = "Choose the course"
ERR_OFFICER_REQUIRED = "Choose the officer who completed the course"
ERR_FILE_REQUIRED = "Choose a CSV file to upload"
ERR_FILE_EMPTY = "The selected file is empty"
ERR_FILE_TOO_BIG = "The selected file must be smaller than 1 MB"
ERR_FILE_NOT_CSV = "The selected file must be a CSV file"


class CourseForm(forms.Form):
    title = forms.CharField(
        label="Course title",
        max_length=200,
        error_messages={
            "required": "Enter the course title",
            "max_length": "The course title must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of course",
        choices=TrainingCourse.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_KIND_REQUIRED, "invalid_choice": ERR_KIND_REQUIRED},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the course covers and who it is for.",
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TrainingCourse) -> str:
        return obj.title if obj.is_active else f"{obj.title} (retired)"


class CompletionForm(DateInputsForm):
    course = CourseChoiceField(
        label="Course",
        queryset=TrainingCourse.objects.none(),
        empty_label="Choose a course",
        error_messages={"required": ERR_COURSE_REQUIRED, "invalid_choice": ERR_COURSE_REQUIRED},
    )
    officer = StaffChoiceField(
        label="Officer",
        queryset=User.objects.none(),
        empty_label="Choose an officer",
        error_messages={"required": ERR_OFFICER_REQUIRED, "invalid_choice": ERR_OFFICER_REQUIRED},
    )
    completed_on = DayMonthYearField(label="Date completed", help_text="For example, 27 3 2026")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course_field = form_field(self, "course", forms.ModelChoiceField)
        officer_field = form_field(self, "officer", forms.ModelChoiceField)
        course_field.queryset = courses_of(organisation)
        officer_field.queryset = staff_of(organisation)


class CompletionImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Headings: email, course, completed_on. Dates like 2025-06-30 or 30/06/2025.",
        error_messages={"required": ERR_FILE_REQUIRED, "empty": ERR_FILE_EMPTY},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(ERR_FILE_TOO_BIG)
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise ValidationError(ERR_FILE_NOT_CSV)
        return upload


class YearForm(forms.Form):
    """The financial year a page shows (a GET filter)."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=())

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "year", forms.TypedChoiceField)
        field.choices = [(y, f"{y}-{(y + 1) % 100:02d}") for y in years]
