"""The form of the social value policy page: its figures and the quality profile's labels
and descriptors together. Writes go through ``procurement/services.py``."""

from decimal import Decimal
from typing import Any

from django import forms

from socialvalue.core.forms import (
    MoneyField,
    PercentField,
)
from socialvalue.procurement.models import Policy, QualityLevel

# --- Messages ---------------------------------------------------------------------------------

ERR_THRESHOLD_SCORE_REQUIRED = "Enter the deliverability threshold"
ERR_THRESHOLD_SCORE_RANGE = "Deliverability threshold must be a whole number from 0 to 5"
ERR_MONEY_REQUIRED = "Enter the threshold"
ERR_MONEY_INVALID = "Threshold must be an amount of money, like 100000 or 100,000.00"
ERR_MONEY_MIN = "Threshold must be £0 or more"


def _plain(value: Decimal) -> str:
    """10.00 → "10", 12.50 → "12.5": how people write a percentage."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Policy -----------------------------------------------------------------------------------

POLICY_FIELDS = (
    "threshold",
    "minimum_weighting",
    "default_quantitative_share",
    "default_deliverability_threshold",
)


class PolicyForm(forms.Form):
    """The policy's figures and the label and descriptor of each quality score, together."""

    threshold = MoneyField(
        label="Threshold",
        min_value=Decimal(0),
        help_text="Tenders with an estimated value at or above this must include social value.",
        error_messages={
            "required": ERR_MONEY_REQUIRED,
            "invalid": ERR_MONEY_INVALID,
            "min_value": ERR_MONEY_MIN,
        },
    )
    minimum_weighting = PercentField(
        label="minimum social value weighting",
        help_text="At or above the threshold, social value must carry at least this share "
        "of the total tender marks.",
    )
    default_quantitative_share = PercentField(
        label="default quantitative share",
        help_text="New tenders give this share of the social value marks to the quantitative "
        "offer (what is offered); the rest go to the qualitative delivery plan.",
    )
    default_deliverability_threshold = forms.IntegerField(
        label="Default deliverability threshold",
        min_value=0,
        max_value=5,
        help_text="A commitment counts towards the offered value only if its quality score "
        "is at least this (0 to 5).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": ERR_THRESHOLD_SCORE_REQUIRED,
            "invalid": ERR_THRESHOLD_SCORE_RANGE,
            "min_value": ERR_THRESHOLD_SCORE_RANGE,
            "max_value": ERR_THRESHOLD_SCORE_RANGE,
        },
    )

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        levels = {level.score: level for level in policy.quality_levels.all()}
        initial: dict[str, Any] = {
            "threshold": policy.threshold,
            "minimum_weighting": _plain(policy.minimum_weighting),
            "default_quantitative_share": _plain(policy.default_quantitative_share),
            "default_deliverability_threshold": policy.default_deliverability_threshold,
        }
        for score in range(6):
            level = levels.get(score)
            initial[f"level_{score}_label"] = level.label if level else ""
            initial[f"level_{score}_descriptor"] = level.descriptor if level else ""
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for score in range(6):
            self.fields[f"level_{score}_label"] = forms.CharField(
                label="Label",
                max_length=QualityLevel._meta.get_field("label").max_length,
                error_messages={
                    "required": f"Enter a label for score {score}",
                    "max_length": f"Label for score {score} must be 100 characters or fewer",
                },
            )
            self.fields[f"level_{score}_descriptor"] = forms.CharField(
                label="Descriptor",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Enter a descriptor for score {score}"},
            )

    def level_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (score, self[f"level_{score}_label"], self[f"level_{score}_descriptor"])
            for score in range(6)
        ]

    def policy_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS}

    def levels(self) -> dict[int, tuple[str, str]]:
        return {
            score: (
                self.cleaned_data[f"level_{score}_label"],
                self.cleaned_data[f"level_{score}_descriptor"],
            )
            for score in range(6)
        }
