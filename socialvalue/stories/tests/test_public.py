"""The public gallery and case study pages: published case studies only."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.services import case_study_submit, case_study_unpublish
from socialvalue.stories.tests.conftest import (
    BOB_DRAFT_TITLE,
    COMMUNITY,
    ENVIRONMENT,
    HYNDBURN,
    PENDLE,
    Maker,
)

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
CastMember = Callable[[str | None], User | None]

# Everyone who must never see Bob's unpublished case study.
OUTSIDERS = [None, "supplier_carol", "officer_alice", "officer_olga", "partner_priya"]


def titles(html: str) -> list[str]:
    """The titles of the cards in the gallery, in order."""
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>', html
    )


# --- Unpublished content never appears ------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("stage", ["bob_draft", "bob_submitted"])
def test_it_never_shows_an_unpublished_case_study_to_anyone_else(
    client_as: ClientAs,
    cast_member: CastMember,
    request: pytest.FixtureRequest,
    make_published: Maker,
    supplier_carol: User,
    stage: str,
    who: str,
) -> None:
    case_study: CaseStudy = request.getfixturevalue(stage)
    make_published("Carol's published story", supplier_carol)
    client = client_as(cast_member(who))

    gallery = client.get("/case-studies/")
    assert gallery.status_code == 200
    html = gallery.content.decode()
    assert "Carol&#x27;s published story" in html
    assert BOB_DRAFT_TITLE not in html
    assert "Bob&#x27;s unpublished summary." not in html

    assert client.get(f"/case-studies/{case_study.slug}/").status_code == 404
    assert client.get(f"/case-studies/{case_study.slug}/image/").status_code == 404
    assert client.get(f"/case-studies/?theme={COMMUNITY}").status_code == 200
    api = client.get("/api/v1/case-studies").json()
    assert [item["title"] for item in api["items"]] == ["Carol's published story"]
    assert client.get(f"/api/v1/case-studies/{case_study.slug}").status_code == 404


def test_it_takes_an_unpublished_case_study_off_the_public_pages(
    bob_published: CaseStudy, lead_lucy: User, public_dave: Client
) -> None:
    slug = bob_published.slug
    assert public_dave.get(f"/case-studies/{slug}/").status_code == 200
    assert public_dave.get(f"/case-studies/{slug}/image/").status_code == 200

    case_study_unpublish(case_study=bob_published, reviewer=lead_lucy, note="Consent withdrawn.")

    assert BOB_DRAFT_TITLE not in public_dave.get("/case-studies/").content.decode()
    assert public_dave.get(f"/case-studies/{slug}/").status_code == 404
    assert public_dave.get(f"/case-studies/{slug}/image/").status_code == 404
    assert public_dave.get(f"/api/v1/case-studies/{slug}").status_code == 404


def test_it_keeps_a_draft_from_the_lead_until_it_is_sent_for_review(
    client_as: ClientAs, lead_lucy: User, bob_draft: CaseStudy
) -> None:
    lead = client_as(lead_lucy)
    assert lead.get(f"/case-studies/{bob_draft.slug}/").status_code == 404
    assert lead.get(f"/case-studies/{bob_draft.slug}/image/").status_code == 404


@pytest.mark.parametrize(("who", "state"), [("supplier_bob", "draft"), ("lead_lucy", "sent")])
def test_it_shows_an_unpublished_case_study_to_its_organisation_and_the_lead(
    client_as: ClientAs,
    cast_member: CastMember,
    bob_draft: CaseStudy,
    supplier_bob: User,
    who: str,
    state: str,
) -> None:
    if state == "sent":
        case_study_submit(case_study=bob_draft, user=supplier_bob)
    client = client_as(cast_member(who))
    response = client.get(f"/case-studies/{bob_draft.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published" in html
    assert BOB_DRAFT_TITLE in html
    assert response["Cache-Control"] == "private, no-store"
    image = client.get(f"/case-studies/{bob_draft.slug}/image/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["Cache-Control"] == "private, no-store"
    # The gallery still lists published case studies only.
    assert BOB_DRAFT_TITLE not in client.get("/case-studies/").content.decode()


def test_it_shows_a_colleague_in_the_same_organisation_the_draft(
    client_as: ClientAs, bob_draft: CaseStudy, supplier_bob: User
) -> None:
    from socialvalue.accounts.tests.factories import UserFactory

    colleague = UserFactory.create(
        email="bea@bobsbuilding.example",
        role=User.Role.SUPPLIER,
        organisation=supplier_bob.organisation,
    )
    assert client_as(colleague).get(f"/case-studies/{bob_draft.slug}/").status_code == 200


# --- The public pages ------------------------------------------------------------------------


def test_it_shows_a_published_case_study_in_full(
    public_dave: Client, bob_published: CaseStudy
) -> None:
    response = public_dave.get(f"/case-studies/{bob_published.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published" not in html
    assert '<h1 class="govuk-heading-xl">' in html
    assert BOB_DRAFT_TITLE in html
    assert "Bob&#x27;s Building Ltd" in html
    assert "Preston" in html
    assert "2025" in html
    assert "Employment and skills" in html
    assert 'href="/framework/lancashire-toms-2024/measures/NT10/"' in html
    assert "Apprentices recruited" in html
    assert "“I love the job.”" in html
    assert "Sam, apprentice" in html
    assert 'alt="Two apprentices clearing a gully"' in html
    assert f'src="/case-studies/{bob_published.slug}/image/?v=' in html
    assert "/media/" not in html


def test_it_serves_a_published_photograph_to_anyone(
    public_dave: Client, bob_published: CaseStudy
) -> None:
    response = public_dave.get(f"/case-studies/{bob_published.slug}/image/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.getvalue().startswith(b"\x89PNG")


def test_it_renders_markdown_safely(
    public_dave: Client, make_published: Maker, supplier_carol: User
) -> None:
    case_study = make_published(
        "Safe text",
        supplier_carol,
        challenge="**Bold** need\n\n<script>alert('x')</script>",
    )
    html = public_dave.get(f"/case-studies/{case_study.slug}/").content.decode()
    assert "<strong>Bold</strong> need" in html
    assert "<script>alert" not in html


def test_it_filters_by_theme_district_and_year(
    public_dave: Client, make_published: Maker, supplier_bob: User, supplier_carol: User
) -> None:
    make_published("Apprentices in Preston", supplier_bob, year=2024)
    make_published(
        "Befriending in Pendle",
        supplier_carol,
        district=PENDLE,
        theme_slugs=[COMMUNITY],
        measure_codes=["NT27"],
        year=2025,
    )
    make_published(
        "Verges in Hyndburn",
        supplier_bob,
        district=HYNDBURN,
        theme_slugs=[ENVIRONMENT],
        measure_codes=["NT85"],
        year=2025,
    )

    def shown(query: str) -> list[str]:
        return sorted(titles(public_dave.get(f"/case-studies/{query}").content.decode()))

    assert shown("") == ["Apprentices in Preston", "Befriending in Pendle", "Verges in Hyndburn"]
    assert shown(f"?theme={COMMUNITY}") == ["Befriending in Pendle"]
    assert shown(f"?district={HYNDBURN}") == ["Verges in Hyndburn"]
    assert shown("?year=2025") == ["Befriending in Pendle", "Verges in Hyndburn"]
    assert shown(f"?year=2025&district={PENDLE}") == ["Befriending in Pendle"]
    assert shown(f"?theme={ENVIRONMENT}&year=2024") == []
    html = public_dave.get(f"/case-studies/?theme={ENVIRONMENT}&year=2024").content.decode()
    assert "No case studies match your filters." in html
    assert "0 case studies found" in html


def test_it_ignores_a_filter_it_does_not_know_and_says_so(
    public_dave: Client, make_published: Maker, supplier_bob: User
) -> None:
    make_published("Apprentices in Preston", supplier_bob)
    response = public_dave.get("/case-studies/?theme=space-travel&year=1066")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a theme from the list." in html
    assert "Choose a year from the list." in html
    assert titles(html) == ["Apprentices in Preston"]


def test_it_offers_only_years_that_have_case_studies(
    public_dave: Client, make_published: Maker, supplier_bob: User
) -> None:
    make_published("One", supplier_bob, year=2023)
    make_published("Two", supplier_bob, year=2025)
    form = public_dave.get("/case-studies/").context["form"]
    assert list(form.fields["year"].choices) == [
        ("", "Any year"),
        ("2025", "2025"),
        ("2023", "2023"),
    ]


def test_it_shows_twelve_case_studies_a_page(
    public_dave: Client, make_published: Maker, supplier_bob: User
) -> None:
    for n in range(13):
        make_published(f"Case study number {n:02d}", supplier_bob)
    first = public_dave.get("/case-studies/")
    assert len(titles(first.content.decode())) == 12
    assert "13 case studies" in first.content.decode()
    second = public_dave.get("/case-studies/?page=2")
    assert titles(second.content.decode()) == ["Case study number 00"]


def test_it_says_when_nothing_is_published_yet(public_dave: Client, bob_draft: CaseStudy) -> None:
    html = public_dave.get("/case-studies/").content.decode()
    assert "No case studies have been published yet." in html
    assert "0 case studies" in html
    assert "sign in to write a case study" in html


def test_it_invites_authors_to_write_one(client_as: ClientAs, supplier_bob: User) -> None:
    html = client_as(supplier_bob).get("/case-studies/").content.decode()
    assert 'href="/case-studies/new/"' in html


def test_it_is_in_the_navigation(public_dave: Client) -> None:
    html = public_dave.get("/case-studies/").content.decode()
    assert 'href="/case-studies/" aria-current="page"' in html


@pytest.mark.parametrize(
    "query",
    [
        "?theme=%00&district=%00&year=%00",
        "?theme=" + "x" * 5000,
        "?year=-1&page=-3",
        "?year=99999999999999999999&page=99999",
        "?district=E07000122%27%3B--&theme=%E2%9C%93",
    ],
)
def test_it_answers_odd_filters_without_failing(
    public_dave: Client, bob_published: CaseStudy, query: str
) -> None:
    assert public_dave.get(f"/case-studies/{query}").status_code in {200, 400}
    assert public_dave.get(f"/api/v1/case-studies{query}").status_code in {200, 400, 422}
