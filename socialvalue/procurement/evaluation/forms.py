"""Forms of the evaluation pages: an evaluator's score, the consensus score and the award.

Writes go through ``evaluation/services.py``; these forms only read and check input.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.core.forms import form_field
from socialvalue.procurement.evaluation.services import contract_end_default
from socialvalue.procurement.models import Bid, QualityLevel, Tender


class ScoreForm(forms.Form):
    """One evaluator's score of one response (also the consensus score, with a rationale)."""

    score = forms.TypedChoiceField(
        label="Score",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from 0 to 5."},
    )
    justification = forms.CharField(
        label="Justification",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Explain your score against the profile: what gives you confidence and "
        "what is missing.",
        error_messages={"required": "Give a justification for your score."},
    )

    def __init__(self, *args: Any, levels: list[QualityLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        form_field(self, "score", forms.ChoiceField).choices = [
            (level.score, f"{level.score} – {level.label}") for level in levels
        ]

    def radio_items(self) -> list[tuple[Any, QualityLevel]]:
        return list(zip(self["score"].subwidgets, self.levels, strict=False))


class ConsensusForm(ScoreForm):
    justification = forms.CharField(
        label="Rationale for the consensus score",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Record how the panel reached this score, especially where scores differed.",
        error_messages={"required": "Give the rationale for the consensus score."},
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class AwardForm(forms.Form):
    bid = forms.TypedChoiceField(
        label="Which offer do you want to award the contract to?",
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": "Choose the offer to award the contract to."},
    )
    start_date = forms.DateField(
        label="Contract start date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the contract start date.",
            "invalid": "Enter the start date as a real date, for example 1 April 2025.",
        },
    )
    end_date = forms.DateField(
        label="Contract end date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the end date as a real date, for example 31 March 2028."},
    )
    contract_manager = StaffChoiceField(
        label="Contract manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose later",
        help_text="The officer who will manage the contract and check its returns.",
    )

    def __init__(self, *args: Any, tender: Tender, top: list[Bid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "bid", forms.ChoiceField).choices = [
            (bid.pk, bid.supplier.name) for bid in top
        ]
        self.fields["bid"].required = len(top) > 1
        example = default_start()
        example_end = contract_end_default(example, tender.duration_months)
        self.fields["start_date"].help_text = f"For example, {example:%-d %B %Y}."
        self.fields["end_date"].help_text = (
            f"Leave blank for the end of the {tender.duration_months}-month term: a contract "
            f"starting on {example:%-d %B %Y} would end on {example_end:%-d %B %Y}."
        )
        form_field(self, "contract_manager", forms.ModelChoiceField).queryset = User.objects.filter(
            organisation_id=tender.organisation_id,
            is_active=True,
            role__in=[User.Role.LEAD, User.Role.OFFICER],
        ).order_by("full_name")


def default_start() -> date:
    """The first day of next month: an example for the start-date hint."""
    today = timezone.localdate()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)
