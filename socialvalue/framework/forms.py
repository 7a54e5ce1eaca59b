"""Forms of the framework browser and of the framework admin."""

from typing import Any

from django import forms

from socialvalue.core.forms import form_field
from socialvalue.framework.models import FrameworkVersion, Measure, Outcome, Theme

ERR_THEME_CHOICE = "Choose a theme from the list."
ERR_VERSION_NOT_DRAFT = (
    "Version {slug} is {status}: it can no longer be changed. Create a new draft version instead."
)
ERR_THEME_OTHER_VERSION = "Choose a theme of version {slug}."
ERR_OUTCOME_OTHER_THEME = "Choose an outcome of the theme {theme}."


class MeasureSearchForm(forms.Form):
    """The search box and theme filter above the measures (a plain GET form)."""

    q = forms.CharField(
        label="Search measures",
        help_text="A measure code such as NT18, or words from a description, unit or outcome.",
        required=False,
        max_length=200,
        strip=True,
    )
    theme = forms.ChoiceField(label="Theme", required=False)

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = form_field(self, "theme", forms.ChoiceField)
        theme.choices = [("", "All themes")] + [(t.slug, t.name) for t in themes]
        theme.error_messages["invalid_choice"] = ERR_THEME_CHOICE

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def theme_slug(self) -> str:
        return self.cleaned_data.get("theme", "") if self.is_valid() else ""


def _draft_versions() -> Any:
    return FrameworkVersion.objects.filter(status=FrameworkVersion.Status.DRAFT)


class VersionContentAdminForm(forms.ModelForm):
    """Admin form for themes, outcomes and measures: only a draft version can take content,
    and a row's theme and outcome must belong to its own version."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            field = form_field(self, "version", forms.ModelChoiceField)
            field.queryset = _draft_versions()
        if "theme" in self.fields:
            field = form_field(self, "theme", forms.ModelChoiceField)
            field.queryset = Theme.objects.filter(version__in=_draft_versions())
        if "outcome" in self.fields:
            field = form_field(self, "outcome", forms.ModelChoiceField)
            field.queryset = Outcome.objects.filter(version__in=_draft_versions()).select_related(
                "theme"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        version = cleaned.get("version")
        if version is not None and not version.is_draft:
            self.add_error(
                "version",
                ERR_VERSION_NOT_DRAFT.format(
                    slug=version.slug, status=version.get_status_display().lower()
                ),
            )
            return cleaned
        theme = cleaned.get("theme")
        if version is not None and theme is not None and theme.version_id != version.pk:
            self.add_error("theme", ERR_THEME_OTHER_VERSION.format(slug=version.slug))
        outcome = cleaned.get("outcome")
        if theme is not None and outcome is not None and outcome.theme_id != theme.pk:
            self.add_error("outcome", ERR_OUTCOME_OTHER_THEME.format(theme=theme.name))
        return cleaned


class ThemeAdminForm(VersionContentAdminForm):
    class Meta:
        model = Theme
        fields = ["version", "slug", "name", "description", "order"]


class OutcomeAdminForm(VersionContentAdminForm):
    class Meta:
        model = Outcome
        fields = ["version", "theme", "name", "order"]


class MeasureAdminForm(VersionContentAdminForm):
    class Meta:
        model = Measure
        fields = [
            "version",
            "theme",
            "outcome",
            "code",
            "description",
            "unit",
            "proxy_value",
            "value_type",
            "evidence_required",
            "examples",
            "order",
        ]
