"""Forms of the local-needs pages: the map and table filter, link editing, postcode check."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms

from socialvalue.core.forms import form_field
from socialvalue.core.postcodes import PostcodeError, normalise_postcode
from socialvalue.framework.models import Measure
from socialvalue.needs.domains import DEFAULT_DOMAIN, DOMAINS, grouped_domain_choices
from socialvalue.needs.models import Area
from socialvalue.needs.selectors import NeedLayer

ERR_DOMAIN_CHOICE = "Choose a need from the list."
ERR_DISTRICT_CHOICE = "Choose a district from the list."
ERR_LAYER_CHOICE = "Choose a TOMs theme or measure from the list."
ERR_VIEW_CHOICE = "Choose what the map shows."
ERR_MEASURE_CHOICE = "Choose a measure from the list."

ALL_DISTRICTS = "All 14 districts"
NO_LAYER = "Any need (no TOMs layer)"

VIEW_LSOA = "lsoa"
VIEW_DISTRICT = "district"
VIEW_CHOICES = [
    (VIEW_LSOA, "Neighbourhoods (LSOAs) by decile"),
    (VIEW_DISTRICT, "Districts by share in high to severe deprivation"),
]


@dataclass(frozen=True)
class NeedsSelection:
    """What the visitor asked to see, resolved: a valid domain always."""

    domain: str
    district: Area | None
    layer: NeedLayer | None
    view: str

    @property
    def district_code(self) -> str:
        return self.district.code if self.district else ""

    @property
    def domain_info(self) -> Any:
        return DOMAINS[self.domain]

    @property
    def query_string(self) -> str:
        return urlencode(self.as_query())

    def as_query(self) -> dict[str, str]:
        query = {"domain": self.domain}
        if self.district:
            query["district"] = self.district.code
        if self.layer:
            query["layer"] = self.layer.key
        return query


class NeedsFilterForm(forms.Form):
    """The filter above the map and the table: a plain GET form."""

    domain = forms.ChoiceField(
        label="Need",
        help_text="An English Indices of Deprivation 2019 domain or sub-domain.",
        required=False,
    )
    district = forms.ChoiceField(label="District", required=False)
    layer = forms.ChoiceField(
        label="Layer by TOMs theme or measure",
        help_text="Shows only the needs linked to the theme or measure you choose.",
        required=False,
    )
    view = forms.ChoiceField(
        label="The map shows", required=False, choices=VIEW_CHOICES, widget=forms.RadioSelect
    )

    def __init__(
        self,
        *args: Any,
        districts: list[Area],
        theme_layers: list[NeedLayer],
        measure_layers: list[NeedLayer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {d.code: d for d in districts}
        self.layers = {layer.key: layer for layer in theme_layers + measure_layers}
        self._set_choices("domain", grouped_domain_choices(), ERR_DOMAIN_CHOICE)
        self._set_choices(
            "district",
            [("", ALL_DISTRICTS)] + [(d.code, d.name) for d in districts],
            ERR_DISTRICT_CHOICE,
        )
        layer_choices: list[Any] = [("", NO_LAYER)]
        if theme_layers:
            layer_choices.append(("TOMs themes", [(t.key, t.label) for t in theme_layers]))
        if measure_layers:
            layer_choices.append(("TOMs measures", [(m.key, m.label) for m in measure_layers]))
        self._set_choices("layer", layer_choices, ERR_LAYER_CHOICE)
        view = form_field(self, "view", forms.ChoiceField)
        view.error_messages["invalid_choice"] = ERR_VIEW_CHOICE

    def _set_choices(self, name: str, choices: list[Any], message: str) -> None:
        field = form_field(self, name, forms.ChoiceField)
        field.choices = choices
        field.error_messages["invalid_choice"] = message

    def clean_district(self) -> str:
        return str(self.cleaned_data.get("district") or "").upper()

    def selection(self) -> NeedsSelection:
        """The resolved choice; fields with errors fall back to their defaults."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        layer = self.layers.get(data.get("layer") or "")
        domain = data.get("domain") or DEFAULT_DOMAIN
        if layer and layer.domains and domain not in layer.domains:
            domain = layer.domains[0]
        return NeedsSelection(
            domain=domain,
            district=self.districts.get(data.get("district") or ""),
            layer=layer,
            view=data.get("view") or VIEW_LSOA,
        )


class MeasureNeedLinkForm(forms.Form):
    """The social value lead's form to link a measure to a need."""

    measure_code = forms.ChoiceField(label="Measure")
    domain = forms.ChoiceField(label="Need it addresses")
    note = forms.CharField(
        label="Why",
        help_text="One line people will see beside the link, e.g. “Jobs for local people.”",
        required=False,
        max_length=300,
    )

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = form_field(self, "measure_code", forms.ChoiceField)
        measure.choices = [("", "Choose a measure")] + [
            (m.code, f"{m.code}: {_short(m.description)}") for m in measures
        ]
        measure.error_messages["invalid_choice"] = ERR_MEASURE_CHOICE
        measure.error_messages["required"] = ERR_MEASURE_CHOICE
        domain = form_field(self, "domain", forms.ChoiceField)
        domain_choices: list[Any] = [("", "Choose a need")]
        domain.choices = domain_choices + grouped_domain_choices()
        domain.error_messages["invalid_choice"] = ERR_DOMAIN_CHOICE
        domain.error_messages["required"] = ERR_DOMAIN_CHOICE


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else f"{text[: length - 1].rstrip()}…"


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label="Postcode",
        help_text="A full postcode, like BB11 2DL, or its first part, like BB11.",
        max_length=20,
        error_messages={"required": "Enter a postcode."},
    )

    def clean_postcode(self) -> str:
        try:
            normalised, _ = normalise_postcode(self.cleaned_data["postcode"])
        except PostcodeError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return normalised
