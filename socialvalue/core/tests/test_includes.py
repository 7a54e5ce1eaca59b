"""The shared GOV.UK includes: field, error summary and pagination."""

import re

from django import forms
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.test import RequestFactory


class ExampleForm(forms.Form):
    name = forms.CharField(label="Organisation name", help_text="As registered.")
    email = forms.EmailField(label="Email address", required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    price = forms.DecimalField(label="Bid price")
    summary = forms.CharField(label="Summary", widget=forms.Textarea)
    size = forms.ChoiceField(label="Size", choices=[("small", "Small"), ("large", "Large")])
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("buyer", "Buyer"), ("supplier", "Supplier")],
        widget=forms.RadioSelect,
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("jobs", "Jobs"), ("growth", "Growth")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    agree = forms.BooleanField(label="I agree", help_text="You must agree to continue.")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, object]:
        super().clean()
        raise forms.ValidationError("Check the whole form.")


def render_field(form: forms.Form, name: str, **extra: str) -> str:
    template = Template('{% include "includes/field.html" with field=field %}')
    return template.render(Context({"field": form[name], **extra}))


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_it_renders_a_text_input_with_label_and_hint() -> None:
    html = squash(render_field(ExampleForm(), "name"))

    assert '<label class="govuk-label" for="id_name">Organisation name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As registered.</div>' in html
    assert re.search(
        r'<input type="text" name="name" class="govuk-input"[^>]*aria-describedby="id_name-hint"',
        html,
    )
    assert "govuk-form-group--error" not in html


def test_it_marks_optional_fields() -> None:
    html = squash(render_field(ExampleForm(), "email"))

    assert "Email address (optional)</label>" in html
    assert 'type="email"' in html


def test_it_renders_an_error_on_the_field() -> None:
    form = ExampleForm(data={"name": ""})

    html = squash(render_field(form, "name"))

    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert (
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html


def test_it_adds_the_extra_classes_and_a_prefix() -> None:
    html = squash(
        Template(
            '{% include "includes/field.html" with field=form.price label_class="govuk-label--m" '
            'input_class="govuk-input--width-10" prefix="£" %}'
        ).render(Context({"form": ExampleForm()}))
    )

    assert '<label class="govuk-label govuk-label--m" for="id_price">' in html
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in html
    assert 'class="govuk-input govuk-input--width-10"' in html
    assert 'type="number"' in html


def test_it_renders_password_textarea_and_select() -> None:
    form = ExampleForm(data={"size": "nonsense"})

    assert 'type="password" name="password" class="govuk-input' in render_field(form, "password")
    assert (
        '<textarea name="summary" cols="40" rows="10" class="govuk-textarea govuk-textarea--error"'
        in (render_field(form, "summary"))
    )
    select = squash(render_field(form, "size"))
    assert '<select name="size" class="govuk-select govuk-select--error"' in select
    assert "Select a valid choice. nonsense is not one of the available choices." in select


def test_it_renders_radios_in_a_fieldset() -> None:
    form = ExampleForm(data={"kind": "supplier"})

    html = squash(render_field(form, "kind"))

    assert '<fieldset class="govuk-fieldset">' in html
    assert '<legend class="govuk-fieldset__legend">Kind</legend>' in html
    assert (
        '<input class="govuk-radios__input" id="id_kind_0" name="kind" type="radio" value="buyer">'
    ) in html
    assert (
        '<input class="govuk-radios__input" id="id_kind_1" name="kind" type="radio" '
        'value="supplier" checked>'
    ) in html
    assert '<label class="govuk-label govuk-radios__label" for="id_kind_1">Supplier</label>' in html


def test_it_renders_checkboxes_with_hint_and_error() -> None:
    form = ExampleForm(data={})

    html = squash(render_field(form, "themes", input_class="govuk-checkboxes--small"))

    assert (
        '<fieldset class="govuk-fieldset" aria-describedby="id_themes-hint id_themes-error">'
        in html
    )
    assert (
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        in html
    )
    assert 'id="id_themes_1" name="themes" type="checkbox" value="growth"' in html


def test_it_renders_a_single_checkbox() -> None:
    html = squash(render_field(ExampleForm(initial={"agree": True}), "agree"))

    assert re.search(
        r'<input type="checkbox" name="agree" class="govuk-checkboxes__input"[^>]*checked', html
    )
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>' in html
    )
    assert 'class="govuk-hint govuk-checkboxes__hint"' in html


def test_it_renders_hidden_fields_as_they_are() -> None:
    html = squash(render_field(ExampleForm(), "secret"))

    assert html == '<input type="hidden" name="secret" id="id_secret">'


def test_it_summarises_errors_linking_to_each_field() -> None:
    form = ExampleForm(data={"kind": "", "price": "lots"})
    form.is_valid()

    html = squash(
        Template('{% include "includes/error_summary.html" with form=form %}').render(
            Context({"form": form})
        )
    )

    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert "<li>Check the whole form.</li>" in html
    assert '<li><a href="#id_name">This field is required.</a></li>' in html
    assert '<li><a href="#id_price">Enter a number.</a></li>' in html
    assert '<li><a href="#id_kind_0">This field is required.</a></li>' in html
    assert '<li><a href="#id_themes_0">This field is required.</a></li>' in html
    # Non-field errors come first.
    assert html.index("Check the whole form.") < html.index("#id_name")


def test_it_shows_no_error_summary_for_an_unbound_form() -> None:
    html = Template('{% include "includes/error_summary.html" with form=form %}').render(
        Context({"form": ExampleForm()})
    )

    assert html.strip() == ""


def render_pagination(number: int, query: str = "", count: int = 200) -> str:
    request = RequestFactory().get("/framework/" + query)
    page = Paginator(list(range(count)), 10).page(number)
    template = Template('{% include "includes/pagination.html" with page=page %}')
    return squash(template.render(RequestContext(request, {"page": page})))


def test_it_paginates_keeping_the_other_query_parameters() -> None:
    html = render_pagination(5, "?q=apprentices&theme=jobs&page=5")

    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?q=apprentices&amp;theme=jobs&amp;page=4" rel="prev"' in html
    assert 'href="?q=apprentices&amp;theme=jobs&amp;page=6" rel="next"' in html
    assert (
        'href="?q=apprentices&amp;theme=jobs&amp;page=5" aria-label="Page 5" aria-current="page"'
    ) in html


def test_it_elides_long_runs_of_pages() -> None:
    html = render_pagination(10)  # 20 pages

    numbers = re.findall(r'aria-label="Page (\d+)"', html)
    assert numbers == ["1", "9", "10", "11", "20"]
    assert html.count("govuk-pagination__item--ellipsis") == 2


def test_it_has_no_previous_link_on_the_first_page_nor_next_on_the_last() -> None:
    first = render_pagination(1)
    last = render_pagination(20)

    assert 'rel="prev"' not in first
    assert 'rel="next"' in first
    assert 'rel="next"' not in last
    assert 'rel="prev"' in last


def test_it_leaves_out_pagination_when_everything_fits_on_one_page() -> None:
    assert render_pagination(1, count=10) == ""
