"""The local-needs pages: the map, the table view without JavaScript, area pages, the lead's
link editor and the local supplier check."""

import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client, override_settings

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion
from socialvalue.needs.data_files import ATTRIBUTION_LINES
from socialvalue.needs.models import MeasureNeedLink, NeedsDataset

pytestmark = pytest.mark.django_db
ClientAs = Callable[[User | None], Client]

HIGH_TO_SEVERE = (
    "An area is in high to severe deprivation when it is among the most deprived 30% of "
    "neighbourhoods in England (national deciles 1 to 3)."
)


def page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def attribution_count(html: str) -> int:
    flat = text(html)
    return min(flat.count(line) for line in ATTRIBUTION_LINES)


def district_row(html: str, name: str) -> str:
    match = re.search(rf"<tr[^>]*>\s*<th[^>]*>(?:<a[^>]*>)?{name}</.*?</tr>", html, re.S)
    assert match, name
    return text(match.group(0))


# --- The map page --------------------------------------------------------------------------


def test_it_shows_the_map_page_to_everyone(public_dave: Client, needs_data: NeedsDataset) -> None:
    html = page(public_dave, "/needs/")
    assert '<h1 class="govuk-heading-xl">Local needs in Lancashire</h1>' in html
    assert 'id="needs-map"' in html
    assert 'href="/static/dist/leaflet.css"' in html
    assert 'src="/static/dist/leaflet.js"' in html
    assert 'src="/static/needs/needs-map.js"' in html
    assert 'id="needs-map-config"' in html
    assert HIGH_TO_SEVERE in text(html)


def test_it_loads_nothing_from_another_site_by_default(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/")
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html)
    config = re.search(r'id="needs-map-config"[^>]*>(.*?)</script>', html, re.S)
    assert config
    assert '"tileUrl": ""' in config.group(1)


@override_settings(
    NEEDS_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png",
    NEEDS_TILE_ATTRIBUTION="© Example tiles",
)
def test_it_adds_background_tiles_only_when_configured(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/")
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html
    assert '"tileAttribution": "\\u00a9 Example tiles"' in html


def test_it_shows_the_attribution_under_the_map_and_in_the_footer(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/")
    assert attribution_count(html) == 2
    footer = html[html.index("<footer") :]
    assert attribution_count(footer) == 1


def test_it_tables_the_share_by_district_for_the_chosen_need(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/", domain="employment")
    assert district_row(html, "Burnley") == "Burnley 60 41 68.3%"
    assert district_row(html, "Hyndburn") == "Hyndburn 52 34 65.4%"
    assert district_row(html, "North West") == "North West 4,497 2,064 45.9%"
    assert district_row(html, "England") == "England 32,844 9,853 30.0%"
    html = page(public_dave, "/needs/", domain="outdoors")
    assert district_row(html, "Preston") == "Preston 86 43 50.0%"
    assert district_row(html, "North West") == "North West 4,497 918 20.4%"


def test_it_marks_the_chosen_district(public_dave: Client, needs_data: NeedsDataset) -> None:
    html = page(public_dave, "/needs/", domain="employment", district="E07000117")
    assert district_row(html, "Burnley") == "Burnley Selected 60 41 68.3%"
    assert "Employment domain in Burnley" in text(html)


def test_it_layers_the_map_by_a_measure(
    public_dave: Client, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/needs/", layer="measure:NT27")
    assert "Needs linked to NT27: Initiatives to be taken to support older" in text(html)
    assert (
        ": Health deprivation and disability domain, Income deprivation affecting older people "
        "index (IDAOPI)."
    ) in text(html)
    # The need follows the measure: the first of its needs, in the order of the indices.
    assert '<option value="health" selected>' in html
    assert '<option value="idaopi">' in html
    assert '<option value="employment"' not in html


def test_it_layers_the_map_by_a_theme(
    public_dave: Client, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/needs/", layer="theme:environment-sustainability", domain="outdoors")
    assert '<option value="outdoors" selected>' in html
    assert '<option value="living_env">' in html
    assert '<option value="health"' not in html


def test_it_offers_only_linked_themes_and_measures_as_layers(
    public_dave: Client, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/needs/")
    assert '<option value="measure:NT1">' in html
    assert '<option value="theme:employment-and-skills">Employment and skills</option>' in html
    # NT87 (plastics) addresses no need in the default links.
    assert "measure:NT87" not in html


def test_it_explains_a_bad_choice_and_shows_the_defaults(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/", domain="happiness", district="E99999999")
    assert "<title>Error: Local needs" in html
    assert "There is a problem" in html
    assert "Choose a need from the list." in html
    assert "Choose a district from the list." in html
    assert "Index of Multiple Deprivation (IMD)" in text(html)
    assert district_row(html, "Burnley").startswith("Burnley 60 ")


def test_it_lists_the_measure_links_publicly(
    public_dave: Client, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    html = page(public_dave, "/needs/")
    assert "Which TOMs measures address which needs" in html
    assert "Change which measures address which needs" not in html


# --- The table view ------------------------------------------------------------------------


def test_it_works_without_javascript_as_a_table(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/table/", domain="employment", district="E07000117")
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert district_row(html, "Burnley") == "Burnley Selected 60 41 68.3%"
    assert "60 neighbourhoods in Burnley, most deprived first in the employment domain." in text(
        html
    )
    assert "page 1 of 2" in html
    assert html.count('href="/needs/areas/E01') == 50
    for label in ("IMD", "Employment", "Outdoors", "IDACI", "IDAOPI", "Adult skills"):
        assert f">{label}</abbr>" in html
    assert attribution_count(html) == 2


def test_it_pages_through_the_lsoas(public_dave: Client, needs_data: NeedsDataset) -> None:
    html = page(public_dave, "/needs/table/", domain="employment", district="E07000117", page="2")
    assert "page 2 of 2" in html
    assert html.count('href="/needs/areas/E01') == 10
    everything = page(public_dave, "/needs/table/")
    assert "941 neighbourhoods in the 14 districts" in text(everything)
    assert "page 1 of 19" in everything


def test_it_lists_the_most_deprived_first(public_dave: Client, needs_data: NeedsDataset) -> None:
    html = page(public_dave, "/needs/table/", domain="imd")
    lsoa_table = html[html.index('id="lsoa-table-caption"') :]
    rank_cell = (
        r'<td class="govuk-table__cell">[^<]*</td>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([\d,]+)</td>'
    )
    ranks = [int(r.replace(",", "")) for r in re.findall(rank_cell, lsoa_table)]
    assert len(ranks) == 50
    assert ranks == sorted(ranks)
    assert ranks[0] < 100


# --- Area pages ----------------------------------------------------------------------------


def test_it_shows_every_decile_of_a_neighbourhood(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/areas/E01012571/")
    flat = text(html)
    assert "Blackburn with Darwen 007A" in flat
    assert "In 12 of 16 domains and sub-domains" in flat
    assert "Outdoors living environment sub-domain" in flat
    # A heading row, then one row per domain.
    assert html.count('<tr class="govuk-table__row">') == 1 + 16
    assert attribution_count(html) == 2


def test_it_profiles_a_district_against_the_north_west_and_england(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    html = page(public_dave, "/needs/areas/e07000123/")
    flat = text(html)
    assert "District E07000123 in the North West, with 86 neighbourhoods (LSOAs)." in flat
    assert "Outdoors living environment sub-domain 50.0% 43 of 86 20.4% 30.0%" in flat


@pytest.mark.parametrize("code", ["E12000002", "E92000001", "nowhere"])
def test_it_has_no_page_for_other_areas(
    public_dave: Client, needs_data: NeedsDataset, code: str
) -> None:
    assert public_dave.get(f"/needs/areas/{code}/").status_code == 404


# --- Links editor --------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(
    public_dave: Client, needs_data: NeedsDataset
) -> None:
    response = public_dave.get("/needs/links/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/needs/links/"
    link = MeasureNeedLink.objects.get(measure_code="NT1", domain="employment")
    response = public_dave.post(f"/needs/links/{link.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=")
    assert MeasureNeedLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    "role", ["officer_alice", "evaluator_erin", "officer_olga", "supplier_bob"]
)
def test_it_keeps_the_link_editor_for_the_lead(
    client_as: ClientAs, needs_data: NeedsDataset, role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    client = client_as(user)
    assert client.get("/needs/links/").status_code == 403
    link = MeasureNeedLink.objects.get(measure_code="NT1", domain="employment")
    assert client.post(f"/needs/links/{link.pk}/remove/").status_code == 403
    response = client.post("/needs/links/", {"measure_code": "NT50", "domain": "crime"})
    assert response.status_code == 403
    assert MeasureNeedLink.objects.filter(pk=link.pk).exists()
    assert not MeasureNeedLink.objects.filter(measure_code="NT50").exists()


def test_it_lets_the_lead_add_a_link(
    client_as: ClientAs, lead_lucy: User, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    client = client_as(lead_lucy)
    html = page(client, "/needs/links/")
    assert "Current links (53)" in html
    response = client.post(
        "/needs/links/", {"measure_code": "NT50", "domain": "adult_skills", "note": "Skills."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/needs/links/"
    link = MeasureNeedLink.objects.get(measure_code="NT50")
    assert (link.domain, link.note, link.created_by) == ("adult_skills", "Skills.", lead_lucy)
    html = page(client, "/needs/links/")
    assert "Linked NT50 to the adult skills sub-domain." in html
    assert "Current links (54)" in html
    # The new link shows on the map as a layer.
    assert '<option value="measure:NT50">' in page(client, "/needs/")


def test_it_refuses_a_duplicate_or_incomplete_link(
    client_as: ClientAs, lead_lucy: User, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    client = client_as(lead_lucy)
    response = client.post("/needs/links/", {"measure_code": "NT1", "domain": "employment"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "NT1 is already linked to the employment domain." in html
    response = client.post("/needs/links/", {"measure_code": "NT999", "domain": ""})
    html = response.content.decode()
    assert "Choose a measure from the list." in html
    assert "Choose a need from the list." in html
    assert MeasureNeedLink.objects.count() == 53


def test_it_lets_the_lead_remove_a_link(
    client_as: ClientAs, lead_lucy: User, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    client = client_as(lead_lucy)
    link = MeasureNeedLink.objects.get(measure_code="NT26", domain="health")
    assert client.get(f"/needs/links/{link.pk}/remove/").status_code == 405
    response = client.post(f"/needs/links/{link.pk}/remove/")
    assert response.status_code == 302
    assert not MeasureNeedLink.objects.filter(pk=link.pk).exists()
    assert "Removed the link from NT26 to the health deprivation and disability domain." in page(
        client, "/needs/links/"
    )
    assert client.post(f"/needs/links/{link.pk}/remove/").status_code == 404


def test_it_shows_the_lead_where_to_edit_links(
    client_as: ClientAs, lead_lucy: User, needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    assert "Change which measures address which needs" in page(client_as(lead_lucy), "/needs/")


def test_it_lets_a_platform_administrator_correct_links_in_the_admin(
    client_as: ClientAs, admin_ada: User, needs_data: NeedsDataset
) -> None:
    client = client_as(admin_ada)
    assert client.get("/admin/needs/measureneedlink/").status_code == 200
    assert client.get("/admin/needs/area/").status_code == 200


def test_it_keeps_the_lead_to_the_links_page_not_the_admin(
    client_as: ClientAs, lead_lucy: User, needs_data: NeedsDataset
) -> None:
    client = client_as(lead_lucy)
    assert client.get("/admin/needs/measureneedlink/").status_code == 302


# --- Local supplier check ------------------------------------------------------------------


def test_it_checks_whether_a_postcode_is_local(public_dave: Client) -> None:
    html = page(public_dave, "/needs/postcode/", postcode="pr1 2he")
    flat = text(html)
    assert "PR1 2HE: local" in flat
    assert "PR1 is mainly in Preston (66%)" in flat
    assert "South Ribble No" not in flat
    assert "South Ribble Yes 34%" in flat
    assert "Limits of this check" in flat
    html = page(public_dave, "/needs/postcode/", postcode="PR8")
    assert "PR8: not local" in text(html)
    assert "mainly in Sefton (96%), outside Lancashire" in text(html)


def test_it_explains_a_postcode_it_cannot_read(public_dave: Client) -> None:
    html = page(public_dave, "/needs/postcode/", postcode="hello")
    assert "There is a problem" in html
    assert "Enter a real postcode, like PR1 2HE, or the first part of one, like PR1." in html
    assert "<title>Error: Check if a supplier is local" in html


def test_it_puts_local_needs_in_the_navigation(public_dave: Client) -> None:
    html = page(public_dave, "/")
    assert '<a class="govuk-service-navigation__link" href="/needs/"' in html
