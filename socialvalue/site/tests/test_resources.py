"""The public resource bank: search, filters, pages, downloads; drafts never shown."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.site.models import Resource
from socialvalue.site.services import content_unpublish
from socialvalue.site.tests.conftest import PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db

MakeResource = Callable[..., Resource]


def titles(response: Any) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


@pytest.fixture
def bank(make_resource: MakeResource) -> None:
    make_resource(
        "Social value ITT wording",
        category="itt_wording",
        description="Standard wording for the invitation to tender.",
    )
    make_resource(
        "Qualitative delivery plan template",
        category="templates",
        audience="suppliers",
        description="Explain **how** you will deliver each commitment.",
    )
    make_resource(
        "Lunch and learn: the Lancashire TOMs",
        category="webinars",
        audience="council_staff",
        description="An online session for officers.",
        url="/events/",
    )
    make_resource(
        "Example of a good bid: highways",
        category="good_bids",
        description="Apprenticeships and local spending.",
    )
    make_resource(
        "Draft: example of a good bid for care",
        category="good_bids",
        description="Apprenticeships in care homes.",
        published=False,
    )


def test_it_lists_published_resources_by_category_then_title(
    public_dave: Client, bank: None
) -> None:
    response = public_dave.get("/resources/")

    assert response.status_code == 200
    assert titles(response) == [
        "Lunch and learn: the Lancashire TOMs",
        "Social value ITT wording",
        "Qualitative delivery plan template",
        "Example of a good bid: highways",
    ]
    html = response.content.decode()
    assert "4 resources" in html
    assert "Draft: example" not in html
    assert '<strong class="govuk-tag govuk-tag--grey">ITT wording</strong>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("itt", ["Social value ITT wording"]),
        ("apprenticeships", ["Example of a good bid: highways"]),
        ("DELIVER each", ["Qualitative delivery plan template"]),
        ("social wording", ["Social value ITT wording"]),
        ("social lunch", []),
    ],
)
def test_it_searches_titles_and_descriptions_for_every_word(
    public_dave: Client, bank: None, query: str, expected: list[str]
) -> None:
    response = public_dave.get("/resources/", {"q": query})

    assert titles(response) == expected


def test_it_filters_by_category_and_audience(public_dave: Client, bank: None) -> None:
    assert titles(public_dave.get("/resources/", {"category": "good_bids"})) == [
        "Example of a good bid: highways"
    ]
    # Resources for everyone count for suppliers too; staff-only ones do not.
    assert titles(public_dave.get("/resources/", {"audience": "suppliers"})) == [
        "Social value ITT wording",
        "Qualitative delivery plan template",
        "Example of a good bid: highways",
    ]
    assert titles(
        public_dave.get("/resources/", {"audience": "council_staff", "q": "lancashire"})
    ) == ["Lunch and learn: the Lancashire TOMs"]


def test_it_ignores_an_unknown_category_and_says_so(public_dave: Client, bank: None) -> None:
    response = public_dave.get("/resources/", {"category": "secret"})

    assert len(titles(response)) == 4
    html = response.content.decode()
    assert "Choose a category from the list." in html
    assert 'class="govuk-error-summary"' in html
    assert "<title>Error: " in html


def test_it_says_when_nothing_matches(public_dave: Client, bank: None) -> None:
    html = public_dave.get("/resources/", {"q": "zeppelin"}).content.decode()

    assert "0 resources found for “zeppelin”" in html
    assert "No resources match your search." in html


def test_it_says_when_the_bank_is_empty(public_dave: Client) -> None:
    html = public_dave.get("/resources/").content.decode()

    assert "There are no resources in the bank yet." in html


def test_it_shows_twenty_resources_a_page(public_dave: Client, make_resource: MakeResource) -> None:
    for number in range(1, 23):
        make_resource(f"Guide {number:02d}", category="guidance")

    first = public_dave.get("/resources/", {"q": "guide"})
    second = public_dave.get("/resources/", {"q": "guide", "page": "2"})

    assert titles(first)[0] == "Guide 01"
    assert len(titles(first)) == 20
    assert titles(second) == ["Guide 21", "Guide 22"]
    assert 'href="?q=guide&amp;page=2"' in first.content.decode()


def test_it_shows_a_published_resource_with_its_link(
    public_dave: Client, make_resource: MakeResource
) -> None:
    make_resource("Lunch and learn", url="/events/", description="Book a **place**.")

    response = public_dave.get("/resources/lunch-and-learn/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Lunch and learn</h1>' in html
    assert "<strong>place</strong>" in html
    assert 'href="/events/">Go to the page' in html


def test_it_offers_the_download_of_a_file_resource(
    public_dave: Client, make_resource: MakeResource
) -> None:
    make_resource("Delivery plan guide", upload=pdf_upload("plan-guide.pdf"))

    html = public_dave.get("/resources/delivery-plan-guide/").content.decode()
    response = public_dave.get("/resources/delivery-plan-guide/download")

    assert 'href="/resources/delivery-plan-guide/download" download>Download' in html
    assert "(PDF, 65 bytes)" in html
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan-guide.pdf"'
    assert response.getvalue() == PDF_BYTES


def test_it_never_shows_a_draft_resource(
    public_dave: Client,
    client_as: Callable[[User | None], Client],
    lead_lucy: User,
    make_resource: MakeResource,
) -> None:
    make_resource("Draft guide", upload=pdf_upload(), published=False)

    for client in (public_dave, client_as(lead_lucy)):
        assert client.get("/resources/draft-guide/").status_code == 404
        assert client.get("/resources/draft-guide/download").status_code == 404
        assert "Draft guide" not in client.get("/resources/").content.decode()
        assert "Draft guide" not in client.get("/resources/", {"q": "draft"}).content.decode()


def test_it_takes_an_unpublished_resource_down_at_once(
    public_dave: Client, lead_lucy: User, make_resource: MakeResource
) -> None:
    resource = make_resource("Old guide", upload=pdf_upload())
    assert public_dave.get("/resources/old-guide/download").status_code == 200

    content_unpublish(item=resource, user=lead_lucy)

    assert public_dave.get("/resources/old-guide/").status_code == 404
    assert public_dave.get("/resources/old-guide/download").status_code == 404
    assert "Old guide" not in public_dave.get("/resources/").content.decode()


def test_it_has_no_download_for_a_link(public_dave: Client, make_resource: MakeResource) -> None:
    make_resource("A link")

    assert public_dave.get("/resources/a-link/download").status_code == 404


def test_it_renders_descriptions_without_scripts(
    public_dave: Client, make_resource: MakeResource
) -> None:
    make_resource(
        "Unsafe",
        description=(
            'Hello <script>alert("x")</script> [click](javascript:alert(1)) <b onclick="x()">b</b>'
        ),
    )

    html = public_dave.get("/resources/unsafe/").content.decode()

    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
