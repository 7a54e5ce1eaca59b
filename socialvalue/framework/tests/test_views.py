"""The public framework browser."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils.html import escape

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc

ClientAs = Callable[[User | None], Client]
ATTRIBUTION = (
    "Lancashire TOMs based on the National TOMs framework © Social Value Portal Ltd, used under "
    "CC BY-NC-ND 4.0. Proxy values are reproduced unmodified."
)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def measure_links(html: str, slug: str = "lancashire-toms-2024") -> int:
    return html.count(f'href="/framework/{slug}/measures/')


# --- Index and version page ----------------------------------------------------------------


def test_it_shows_the_current_version_on_the_index(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/")
    assert '<h1 class="govuk-heading-xl">Lancashire TOMs 2024</h1>' in html
    assert "Published" in html
    assert "43 measures in 4 themes" in html
    assert "First version of the Lancashire TOMs" in html
    assert measure_links(html) == 43
    for theme in ("Employment and skills", "Economic prosperity", "Environment sustainability"):
        assert theme in html
    assert escape("Community building: health & wellbeing") in html


def test_it_shows_the_attribution_at_the_top_and_in_the_footer(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    for url in (
        "/framework/",
        "/framework/lancashire-toms-2024/",
        "/framework/lancashire-toms-2024/measures/NT4/",
        "/framework/lancashire-toms-2024/changes/",
    ):
        html = page(public_dave, url)
        assert html.count(escape(ATTRIBUTION)) == 2, url
        footer = html[html.index("<footer") :]
        assert escape(ATTRIBUTION) in footer, url


def test_it_formats_proxy_values_to_pence(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/")
    for shown in ("£31,285.00", "£15,382.90", "£0.12", "£0.06", "£244.63", "No proxy value"):
        assert shown in html


def test_it_finds_a_measure_by_its_code_in_any_case(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/?q=nt18")
    assert 'href="/framework/lancashire-toms-2024/measures/NT18/"' in html
    assert "/measures/NT19/" not in html
    assert "of 43 measures found for “nt18”" in html


def test_it_finds_measures_by_words(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/?q=modern+slavery")
    # NT3d (survivors of modern slavery) and NT43 (risks of modern slavery).
    assert "/measures/NT3d/" in html
    assert "/measures/NT43/" in html
    assert "/measures/NT1/" not in html


def test_it_finds_measures_by_unit_words(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/?q=tCO2e")
    assert "/measures/NT31/" in html
    assert "/measures/NT82/" in html
    assert "/measures/NT4/" not in html


def test_it_filters_by_theme(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/?theme=environment-sustainability")
    assert measure_links(html) == 9
    assert "9 of 43 measures found" in html
    assert '<option value="environment-sustainability" selected>' in html
    assert "/measures/NT1/" not in html


def test_it_combines_search_and_theme(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/?q=NT17&theme=economic-prosperity")
    assert "/measures/NT17/" in html
    html = page(public_dave, "/framework/?q=NT17&theme=environment-sustainability")
    assert measure_links(html) == 0


def test_it_shows_an_empty_state_when_nothing_matches(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/?q=zeppelin")
    assert measure_links(html) == 0
    assert "No measures match your search" in html
    assert "0 of 43 measures found for “zeppelin”" in html


def test_it_explains_an_unknown_theme(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/?theme=astronomy")
    assert "govuk-error-summary" in html
    assert '<a href="#id_theme">Choose a theme from the list.</a>' in html
    assert "govuk-select--error" in html
    assert measure_links(html) == 43


def test_it_shows_a_version_at_its_own_address(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/")
    assert measure_links(html) == 43
    assert 'action="/framework/lancashire-toms-2024/#measures"' in html


def test_it_explains_when_nothing_is_published(public_dave: Client, db: None) -> None:
    html = page(public_dave, "/framework/")
    assert "No version of the themes, outcomes and measures framework has been published" in html


def test_it_returns_404_for_an_unknown_version(public_dave: Client, db: None) -> None:
    assert public_dave.get("/framework/lancashire-toms-1999/").status_code == 404


# --- Versions, changes and retired versions -----------------------------------------------


def test_it_lists_the_public_versions(public_dave: Client, toms_2025: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/versions/")
    assert html.index("Lancashire TOMs 2025") < html.index("Lancashire TOMs 2024")
    assert '<strong class="govuk-tag govuk-tag--green">Published</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Retired</strong>' in html
    # Both have 43 measures: 2025 drops NT41 and adds NT90.
    assert html.count('<td class="govuk-table__cell govuk-table__cell--numeric">43</td>') == 2


def test_it_shows_the_new_current_version_once_the_old_is_retired(
    public_dave: Client, toms_2025: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/")
    assert '<h1 class="govuk-heading-xl">Lancashire TOMs 2025</h1>' in html


def test_it_warns_that_a_version_is_retired(
    public_dave: Client, toms_2025: FrameworkVersion
) -> None:
    FrameworkVersion.objects.filter(slug="lancashire-toms-2024").update(
        retired_at=dt.datetime(2025, 3, 31, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    )
    html = page(public_dave, "/framework/lancashire-toms-2024/")
    assert "This version was retired on 31 March 2025;" in html
    assert (
        'the current version is <a class="govuk-notification-banner__link" '
        'href="/framework/lancashire-toms-2025/">Lancashire TOMs 2025</a>'
    ) in html
    measure_html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT41/")
    assert "This version was retired on 31 March 2025;" in measure_html


def test_it_shows_no_changes_for_a_first_version(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/changes/")
    assert "This is the first version of Lancashire TOMs" in html


def test_it_shows_what_changed_against_the_previous_version(
    public_dave: Client, toms_2025: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2025/changes/")
    assert 'Compared with <a class="govuk-link" href="/framework/lancashire-toms-2024/">' in html
    assert "1 added, 1 removed,\n      1 proxy value changed,\n      1 wording change." in html
    added = html[html.index("Measures added") : html.index("Measures removed")]
    assert "NT90" in added
    assert "Hours of digital skills coaching" in added
    assert "£12.50" in added
    removed = html[html.index("Measures removed") : html.index("Proxy values changed")]
    assert "/framework/lancashire-toms-2024/measures/NT41/" in removed
    proxies = html[html.index("Proxy values changed") : html.index("Wording changed")]
    assert "NT1" in proxies
    assert proxies.index("£31,285.00") < proxies.index("£32,000.00")
    wording = html[html.index("Wording changed") :]
    assert "NT3" in wording
    assert "Long-term unemployed local people hired (FTE)" in wording


# --- Measure page --------------------------------------------------------------------------


def test_it_shows_a_measure(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT4/")
    assert '<span class="govuk-caption-l">Measure NT4</span>' in html
    assert (
        "No. of full time equivalent local employees (FTE) hired on the contract who are NOT "
        "in Employment, Education, or Training (NEETs)"
    ) in html
    assert "More opportunities for disadvantaged people" in html
    assert "Employment and skills" in html
    assert "Number of people (FTE)" in html
    assert "£15,382.90 per unit" in html
    assert "Social" in html
    assert "Evidence required" in html
    assert "Jobcentre Plus" in html


def test_it_works_an_example_for_a_measure(public_dave: Client, toms: FrameworkVersion) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT4/")
    # 2 × £15,382.90 = £30,765.80
    assert "Delivering 2 of this measure is worth <strong>£30,765.80</strong>" in html
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT14/")
    # 2 × £0.12 = £0.24
    assert "Delivering 2 of this measure is worth <strong>£0.24</strong>" in html


def test_it_rounds_the_worked_example_half_up_to_pence(public_dave: Client, db: None) -> None:
    load_doc(framework_doc("test-1", [measure_doc("A1", "0.0125")]), publish=True)
    html = page(public_dave, "/framework/test-1/measures/A1/")
    # 2 × £0.0125 = £0.025, which rounds half-up to £0.03.
    assert "Delivering 2 of this measure is worth <strong>£0.03</strong>" in html


def test_it_says_when_a_measure_has_no_proxy_value(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT41/")
    assert "No proxy value — this measure is reported but not given a £ value" in html
    assert "Delivering 2 of this measure" not in html


def test_it_lists_examples_and_what_does_not_count(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT4/")
    examples = html[html.index("Examples of qualifying activity") : html.index("Worked example")]
    counts, not_counts = examples.split("Does not count</h3>")
    assert counts.count("<li>") == 2
    assert "<li>A construction firm hires a 19-year-old from Blackpool" in counts
    assert not_counts.count("<li>") == 1
    assert (
        "<li>A young person who moves straight into the job from college, training or another "
        "job.</li>"
    ) in not_counts


def test_it_links_a_measure_to_the_calculator_and_back(
    public_dave: Client, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/framework/lancashire-toms-2024/measures/NT4/")
    assert 'href="/calculator/?measure=NT4"' in html
    start = html.index('class="govuk-breadcrumbs"')
    breadcrumbs = html[start : html.index("</nav>", start)]
    assert 'href="/framework/"' in breadcrumbs
    assert 'href="/framework/lancashire-toms-2024/"' in breadcrumbs


def test_it_redirects_a_lower_case_code(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/framework/lancashire-toms-2024/measures/nt4a/")
    assert response.status_code == 302
    assert response["Location"] == "/framework/lancashire-toms-2024/measures/NT4a/"


def test_it_returns_404_for_an_unknown_measure(public_dave: Client, toms: FrameworkVersion) -> None:
    response = public_dave.get("/framework/lancashire-toms-2024/measures/NT999/")
    assert response.status_code == 404


# --- Drafts --------------------------------------------------------------------------------

DRAFT_URLS = [
    "/framework/lancashire-toms-2025/",
    "/framework/lancashire-toms-2025/measures/NT90/",
    "/framework/lancashire-toms-2025/changes/",
    "/framework/lancashire-toms-2025/download.csv",
    "/framework/lancashire-toms-2025/download.xlsx",
    "/framework/lancashire-toms-2025/download.json",
]


@pytest.mark.parametrize(
    "who", [None, "officer_alice", "evaluator_erin", "officer_olga", "supplier_bob"]
)
@pytest.mark.parametrize("url", DRAFT_URLS)
def test_it_hides_a_draft_from_everyone_but_the_lead(
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    toms_2025_draft: FrameworkVersion,
    who: str | None,
    url: str,
) -> None:
    user = request.getfixturevalue(who) if who else None
    assert client_as(user).get(url).status_code == 404


@pytest.mark.parametrize("url", DRAFT_URLS)
def test_it_lets_the_lead_preview_a_draft(
    client_as: ClientAs, lead_lucy: User, toms_2025_draft: FrameworkVersion, url: str
) -> None:
    response = client_as(lead_lucy).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_it_warns_the_lead_that_a_draft_is_not_published(
    client_as: ClientAs, lead_lucy: User, toms_2025_draft: FrameworkVersion
) -> None:
    html = page(client_as(lead_lucy), "/framework/lancashire-toms-2025/")
    assert "Draft — not published." in html
    html = page(client_as(lead_lucy), "/framework/lancashire-toms-2025/measures/NT90/")
    assert "Draft — not published." in html


def test_it_keeps_drafts_off_the_public_pages(
    public_dave: Client, toms_2025_draft: FrameworkVersion
) -> None:
    for url in ("/framework/", "/framework/versions/", "/framework/lancashire-toms-2024/"):
        assert "Lancashire TOMs 2025" not in page(public_dave, url), url


def test_it_lists_drafts_for_the_lead(
    client_as: ClientAs, lead_lucy: User, toms_2025_draft: FrameworkVersion
) -> None:
    html = page(client_as(lead_lucy), "/framework/versions/")
    assert "Lancashire TOMs 2025" in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Draft</strong>' in html
