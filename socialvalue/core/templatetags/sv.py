from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.paginator import Page, Paginator
from django.forms import BoundField

from socialvalue.core.money import format_gbp, format_percent

register = template.Library()


@register.filter
def gbp(value: object) -> str:
    """Format a value as pounds and pence: ``{{ total|gbp }}`` → £1,234.57."""
    if value is None or value == "":
        return "—"
    try:
        return format_gbp(Decimal(str(value)))
    except InvalidOperation:
        return "—"


@register.filter
def pct(value: object) -> str:
    """Format a percentage to two decimal places: ``{{ share|pct }}`` → 12.35%."""
    if value is None or value == "":
        return "—"
    try:
        return format_percent(Decimal(str(value)))
    except InvalidOperation:
        return "—"


@register.filter
def qty(value: object) -> str:
    """A quantity without trailing zeros: 1.50 → 1.5, 2.000 → 2."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{d:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- GOV.UK form and pagination helpers, used by the templates in core/templates/includes/.

#: Widgets rendered as a group of inputs inside a fieldset.
CHOICE_GROUP_WIDGETS = {"radioselect", "checkboxselectmultiple"}


def _describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field: BoundField, css_class: str = "", extra: str = "", error: str = "") -> str:
    """Render a field's widget with GOV.UK classes and ``aria-describedby`` for hint and error.

    ``{% govuk_widget field "govuk-input" extra=input_class error="govuk-input--error" %}``
    keeps any class the form gave the widget; ``error`` is added only when the field has
    errors.
    """
    classes = [css_class, extra, str(field.field.widget.attrs.get("class", ""))]
    if field.errors:
        classes.append(error)
    attrs: dict[str, Any] = {"class": " ".join(" ".join(classes).split())}
    describedby = _describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.filter
def describedby(field: BoundField) -> str:
    """The ids of a field's hint and error message, for ``aria-describedby`` on a fieldset."""
    return _describedby(field)


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the field's input, or the first of its options."""
    if field.widget_type in CHOICE_GROUP_WIDGETS:
        subwidgets = field.subwidgets
        return str(subwidgets[0].id_for_label) if subwidgets else field.auto_id
    return field.id_for_label or field.auto_id


@register.simple_tag
def page_range(page: Page) -> list[int | str]:
    """Page numbers to link to, with an ellipsis for long runs: 1 … 4 5 6 … 20."""
    paginator: Paginator = page.paginator
    return list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.filter
def markdown(value: object) -> str:
    """Render user-written Markdown safely: ``{{ page.body|markdown }}``."""
    from socialvalue.core.markdown import render_markdown

    return render_markdown(str(value or ""))
