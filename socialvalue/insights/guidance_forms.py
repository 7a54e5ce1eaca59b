"""The filters of the category guidance and needs against delivery pages: whose figures and
the period, as on the dashboard (a plain GET form), and on the needs page the domain of
deprivation and the order of the table."""

from typing import Any

from django import forms

from socialvalue.insights.dashboard_forms import FILTER_NAMES, DashboardFilterForm
from socialvalue.insights.needs_delivery import DEFAULT_SORT, SORTS
from socialvalue.needs.domains import DEFAULT_DOMAIN, DOMAIN_CHOICES

ERR_DOMAIN = "Choose one of the needs listed"
ASCENDING, DESCENDING = "asc", "desc"


class PeriodForm(DashboardFilterForm):
    """Whose figures and which quarters; the dashboard's other filters are left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FILTER_NAMES:
            del self.fields[name]

    @property
    def filters_applied(self) -> list[str]:
        return []


class NeedsDeliveryForm(PeriodForm):
    domain = forms.ChoiceField(
        label="Need (IoD2019 domain)",
        choices=DOMAIN_CHOICES,
        required=False,
        error_messages={"invalid_choice": ERR_DOMAIN},
    )
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)
    order = forms.ChoiceField(
        choices=[(ASCENDING, "Ascending"), (DESCENDING, "Descending")], required=False
    )

    @property
    def domain_value(self) -> str:
        return self._data().get("domain") or DEFAULT_DOMAIN

    @property
    def sort_value(self) -> str:
        return self._data().get("sort") or DEFAULT_SORT

    @property
    def descending(self) -> bool:
        order = self._data().get("order")
        if order:
            return order == DESCENDING
        # Names read A to Z; figures largest first.
        return self.sort_value != "district"
