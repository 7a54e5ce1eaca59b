"""The public calculator page, /calculator/."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion

URL = "/calculator/"


def results_of(html: str) -> str:
    """The results section of the full page."""
    return html[html.index('id="results"') :]


def test_it_explains_the_calculator_before_any_quantity(
    toms: FrameworkVersion, public_dave: Client
):
    response = public_dave.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "How the calculator works" in html
    assert "Enter a quantity for at least one measure to see the results." in html
    assert html.count('type="text" inputmode="decimal"') == 43
    assert (
        '<label class="govuk-label govuk-visually-hidden" for="calc-NT1">Quantity for NT1</label>'
        in html
    )
    assert "govuk-error-summary" not in html
    assert "Lancashire TOMs based on the National TOMs framework" in html


def test_it_groups_the_measures_by_theme_in_framework_order(
    toms: FrameworkVersion, public_dave: Client
):
    html = public_dave.get(URL).content.decode()

    captions = re.findall(r'govuk-table__caption--m">([^<]+)</caption>', html)
    assert captions == [
        "Employment and skills",
        "Economic prosperity",
        "Community building: health &amp; wellbeing",
        "Environment sustainability",
    ]
    assert "£31,285.00" in html
    assert "No proxy value" in html


def test_it_calculates_on_a_plain_form_post(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(URL, {"NT1": "2.5", "contract_value": ""})

    html = response.content.decode()
    results = results_of(html)
    assert response.status_code == 200
    assert "<html" in html
    assert "£78,212.50" in results
    assert 'value="2.5"' in html
    assert "Enter a contract value to see the social value as a percentage of it." in results


def test_it_shows_sv_add_and_the_theme_totals(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(
        URL,
        {"NT1": "2.5", "NT4": "0.5", "NT31": "10", "NT41": "95", "contract_value": "£1,000,000"},
    )

    results = results_of(response.content.decode())
    # 78212.50 + 7691.45 = 85903.95; + 2446.30 = 88350.25; / 1,000,000 = 8.835025%.
    assert "£88,350.25" in results
    assert "8.84%" in results
    assert "£1,000,000.00" in results
    themes = re.findall(r'app-table__header--regular">([^<]+)</th>', results)
    assert themes == ["Employment and skills", "Economic prosperity", "Environment sustainability"]
    assert "£85,903.95" in results
    assert "£2,446.30" in results


def test_it_lists_measures_without_a_proxy_value(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(URL, {"NT41": "95"})

    results = results_of(response.content.decode())
    assert "Measures without a proxy value" in results
    assert "<strong>NT41</strong>: Percentage of staff on contract" in results
    assert "Quantity: 95 (%)" in results
    assert "£0.00" in results


def test_it_rounds_only_the_total_for_display(toms: FrameworkVersion, public_dave: Client):
    # 0.75 miles × £0.06 = £0.045 exactly, shown as £0.05.
    response = public_dave.post(URL, {"NT32": "0.75"})

    assert "£0.05" in results_of(response.content.decode())


def test_it_counts_a_zero_quantity(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(URL, {"NT1": "0"})

    results = results_of(response.content.decode())
    assert "1 with a quantity" in results
    assert "£0.00" in results


def test_it_shows_the_empty_state_for_a_blank_form(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(URL, {"NT1": "", "contract_value": "500000"})

    html = response.content.decode()
    assert "How the calculator works" in html
    assert "govuk-error-summary" not in html


def test_it_returns_only_the_results_to_htmx(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(URL, {"NT1": "2.5"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Social value calculator" not in html
    assert '<p id="calculator-status" hx-swap-oob="innerHTML">' in html
    assert "£78,212.50" in html
    assert "HX-Request" in response["Vary"]


def test_it_shows_problems_to_htmx_without_breaking(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.post(URL, {"NT1": "-1"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Check what you entered" in html
    assert '<a href="#calc-NT1">Enter a number of 0 or more for NT1</a>' in html
    assert "Check the quantities you entered." in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("NT1", "-1", "Enter a number of 0 or more for NT1"),
        ("NT4", "abc", "Enter the quantity for NT4 as a number, like 2.5"),
        ("NT4", "NaN", "Enter the quantity for NT4 as a number, like 2.5"),
        ("NT8", "0.0000001", "Enter a quantity for NT8 with no more than 6 decimal places"),
        (
            "NT18",
            "1000000000000000",
            "Enter a quantity for NT18 with no more than 15 digits before the decimal point",
        ),
        ("contract_value", "0", "Enter a contract value of more than £0"),
        (
            "contract_value",
            "lots",
            "Enter the contract value as an amount in pounds, like 250000 or 250000.50",
        ),
    ],
)
def test_it_shows_the_error_summary_and_keeps_what_was_typed(
    toms: FrameworkVersion, public_dave: Client, field: str, value: str, message: str
):
    response = public_dave.post(URL, {"NT1": "2.5", "NT29": "40", field: value})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Social value calculator" in html
    assert "govuk-error-summary" in html
    assert f'<a href="#calc-{field}">{message}</a>' in html
    assert f'id="calc-{field}-error"' in html
    assert f'value="{value}"' in html
    assert 'value="40"' in html
    assert "Correct the problems listed at the top of the page to see the results." in html
    assert "Social value by theme" not in html


def test_it_calculates_from_a_shared_link(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.get(URL, {"NT1": "2.5", "contract_value": "1000000"})

    results = results_of(response.content.decode())
    assert "£78,212.50" in results
    assert "7.82%" in results


def row_of(html: str, code: str) -> str:
    """The table row of one measure in the measures table."""
    match = re.search(rf'<tr class="[^"]*" id="measure-{code}">.*?</tr>', html, re.DOTALL)
    assert match is not None
    return match.group(0)


def test_it_highlights_the_measure_it_was_opened_for(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.get(URL, {"measure": "NT4"})

    html = response.content.decode()
    row = row_of(html, "NT4")
    assert "app-calculator__row--highlight" in row
    assert "Selected" in row
    assert "autofocus" in row
    assert html.count("autofocus") == 1
    assert "Selected" not in row_of(html, "NT1")
    assert "How the calculator works" in html


def test_it_ignores_an_unknown_measure_to_highlight(toms: FrameworkVersion, public_dave: Client):
    response = public_dave.get(URL, {"measure": "NT999"})

    assert response.status_code == 200
    assert "autofocus" not in response.content.decode()


def test_it_refuses_a_form_post_without_the_csrf_token(toms: FrameworkVersion):
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, {"NT1": "2.5"})

    assert response.status_code == 403


def test_it_accepts_a_form_post_with_the_csrf_token(toms: FrameworkVersion):
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None

    response = client.post(URL, {"NT1": "2.5", "csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 200
    assert "£78,212.50" in results_of(response.content.decode())


@pytest.mark.parametrize(
    "who", ["lead_lucy", "officer_alice", "evaluator_erin", "officer_olga", "supplier_bob"]
)
def test_it_works_for_everyone_signed_in(
    toms: FrameworkVersion,
    client_as: Callable[[User | None], Client],
    request: pytest.FixtureRequest,
    who: str,
):
    client = client_as(request.getfixturevalue(who))

    assert client.get(URL).status_code == 200
    response = client.post(URL, {"NT1": "2.5"})
    assert "£78,212.50" in results_of(response.content.decode())


def test_it_refuses_other_methods(toms: FrameworkVersion, public_dave: Client):
    assert public_dave.put(URL).status_code == 405


def test_it_explains_when_no_framework_is_published(db: None, public_dave: Client):
    response = public_dave.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "none has been published yet" in html
    assert '<form method="post" action="/calculator/' not in html
