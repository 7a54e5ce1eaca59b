"""The lead's content editing: who may use it, preview, publishing, uploads and history."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.site.files import ERR_FILE_TOO_BIG, ERR_FILE_TYPE
from socialvalue.site.forms import ERR_SLUG_INVALID, ERR_TITLE_REQUIRED
from socialvalue.site.models import (
    ERR_FILE_AND_LINK,
    ERR_LINK_INVALID,
    ERR_NO_FILE_OR_LINK,
    Faq,
    Feedback,
    Page,
    Resource,
)
from socialvalue.site.services import ERR_SLUG_TAKEN, feedback_submit
from socialvalue.site.tests.conftest import PDF_BYTES, office_bytes, pdf_upload

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
CastMember = Callable[[str | None], User | None]
NOT_LEAD = ["officer_alice", "evaluator_erin", "supplier_bob"]
EXE = b"MZ\x90\x00" + b"\x00" * 500


def resource_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Social value ITT wording",
        "slug": "",
        "category": "itt_wording",
        "audience": "everyone",
        "description": "The standard wording.",
        "url": "https://example.org/itt",
        "action": "save",
    }
    data.update(overrides)
    return data


def faq_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "question": "What is a proxy value?",
        "slug": "",
        "category": "basics",
        "order": "30",
        "answer": "An agreed amount in pounds.",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def lucy(client_as: ClientAs, lead_lucy: User) -> Client:
    return client_as(lead_lucy)


@pytest.fixture
def items(make_resource: Callable[..., Resource], make_faq: Callable[..., Faq], policy_page: Page):
    return {
        "resource": make_resource("Draft guide", published=False, upload=pdf_upload()),
        "faq": make_faq("Draft question?", published=False),
        "page": policy_page,
    }


def lead_pages(items: dict[str, Any]) -> list[str]:
    resource, faq, page = items["resource"].pk, items["faq"].pk, items["page"].pk
    return [
        "/content/",
        "/content/resources/new/",
        f"/content/resources/{resource}/",
        f"/content/resources/{resource}/file",
        f"/content/resources/{resource}/history/",
        "/content/faqs/new/",
        f"/content/faqs/{faq}/",
        f"/content/faqs/{faq}/history/",
        f"/content/pages/{page}/",
        f"/content/pages/{page}/history/",
        "/content/feedback/",
    ]


# --- Who may use the content pages ------------------------------------------------------------


def test_it_lets_the_lead_use_every_content_page(lucy: Client, items: dict[str, Any]) -> None:
    for path in lead_pages(items):
        assert lucy.get(path).status_code == 200, path


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client, items: dict[str, Any]) -> None:
    for path in lead_pages(items):
        response = public_dave.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/account/sign-in/?next={path}"
    path = f"/content/resources/{items['resource'].pk}/publish/"
    assert public_dave.post(path).status_code == 302
    items["resource"].refresh_from_db()
    assert items["resource"].is_published is False


@pytest.mark.parametrize("who", NOT_LEAD)
def test_it_refuses_everyone_else(
    client_as: ClientAs, cast_member: CastMember, items: dict[str, Any], who: str
) -> None:
    client = client_as(cast_member(who))
    for path in lead_pages(items):
        assert client.get(path).status_code == 403, path
    resource = items["resource"]
    assert client.post(f"/content/resources/{resource.pk}/publish/").status_code == 403
    assert client.post(f"/content/resources/{resource.pk}/", resource_form()).status_code == 403
    assert client.post("/content/faqs/new/", faq_form()).status_code == 403
    assert client.post("/content/pages/policy/create/").status_code == 403
    resource.refresh_from_db()
    assert resource.is_published is False
    assert resource.title == "Draft guide"
    assert Faq.objects.count() == 1


# --- Resources --------------------------------------------------------------------------------


def test_it_creates_a_resource_as_a_draft(lucy: Client, public_dave: Client) -> None:
    response = lucy.post("/content/resources/new/", resource_form())

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/content/resources/{resource.pk}/"
    assert resource.slug == "social-value-itt-wording"
    assert resource.is_published is False
    assert resource.url == "https://example.org/itt"
    assert public_dave.get("/resources/social-value-itt-wording/").status_code == 404


def test_it_uploads_a_checked_file(lucy: Client) -> None:
    upload = SimpleUploadedFile("Plan template.docx", office_bytes("word/document.xml"))

    lucy.post(
        "/content/resources/new/",
        resource_form(title="Delivery plan template", url="", file=upload),
    )

    resource = Resource.objects.get()
    assert resource.file_type == "docx"
    assert resource.file_name == "Plan template.docx"
    assert resource.file.name.startswith("resources/")
    assert resource.file.name.endswith("/Plan_template.docx")
    response = lucy.get(f"/content/resources/{resource.pk}/file")
    assert response["Content-Disposition"] == 'attachment; filename="Plan template.docx"'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", EXE, ERR_FILE_TYPE),
        ("setup.exe", EXE, ERR_FILE_TYPE),
        ("huge.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024), ERR_FILE_TOO_BIG),
    ],
    ids=["executable renamed .pdf", "executable", "over 20 MB"],
)
def test_it_refuses_a_bad_file_and_saves_nothing(
    lucy: Client, name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)

    response = lucy.post("/content/resources/new/", resource_form(url="", file=upload))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_file">{message}</a>' in html
    assert not Resource.objects.exists()


def test_it_needs_a_file_or_a_link_but_not_both(lucy: Client) -> None:
    neither = lucy.post("/content/resources/new/", resource_form(url=""))
    both = lucy.post("/content/resources/new/", resource_form(file=pdf_upload()))

    assert ERR_NO_FILE_OR_LINK in neither.content.decode()
    assert ERR_FILE_AND_LINK in both.content.decode()
    assert not Resource.objects.exists()


def test_it_explains_other_mistakes(lucy: Client, make_resource: Callable[..., Resource]) -> None:
    make_resource("Taken", slug="taken")

    response = lucy.post(
        "/content/resources/new/", resource_form(title="", slug="Not A Slug", url="ftp://x")
    )
    taken = lucy.post("/content/resources/new/", resource_form(slug="taken"))

    html = response.content.decode()
    assert f'<a href="#id_title">{ERR_TITLE_REQUIRED}</a>' in html
    assert f'<a href="#id_slug">{ERR_SLUG_INVALID}</a>' in html
    assert "Enter a link starting with https://" in html
    assert ERR_SLUG_TAKEN in taken.content.decode()
    assert Resource.objects.count() == 1


@pytest.mark.parametrize(
    "link", ["//evil.example/", "/\\evil.example", "javascript:alert(1)", "ftp://files.example"]
)
def test_it_refuses_unsafe_links(lucy: Client, link: str) -> None:
    response = lucy.post("/content/resources/new/", resource_form(url=link))

    assert f'<a href="#id_url">{ERR_LINK_INVALID}</a>' in response.content.decode()
    assert not Resource.objects.exists()


def test_it_names_choices_in_the_history(
    lucy: Client, make_resource: Callable[..., Resource]
) -> None:
    resource = make_resource("Guide", category="guidance")

    lucy.post(
        f"/content/resources/{resource.pk}/",
        resource_form(title="Guide", slug="guide", category="templates"),
    )

    html = lucy.get(f"/content/resources/{resource.pk}/history/").content.decode()
    assert "Category: “Guidance” → “Templates”" in html


def test_it_keeps_the_file_when_only_the_text_changes(
    lucy: Client, make_resource: Callable[..., Resource]
) -> None:
    resource = make_resource("Guide", upload=pdf_upload("guide.pdf"))

    lucy.post(
        f"/content/resources/{resource.pk}/",
        resource_form(title="Guide to bidding", slug="guide", url=""),
    )

    resource.refresh_from_db()
    assert resource.title == "Guide to bidding"
    assert resource.file_name == "guide.pdf"
    assert resource.is_published is True


def test_it_replaces_a_file_with_a_link(
    lucy: Client, make_resource: Callable[..., Resource]
) -> None:
    resource = make_resource("Guide", upload=pdf_upload("guide.pdf"))

    lucy.post(
        f"/content/resources/{resource.pk}/",
        resource_form(title="Guide", slug="guide", url="/needs/"),
    )

    resource.refresh_from_db()
    assert resource.url == "/needs/"
    assert not resource.file
    assert resource.file_type == ""


def test_it_previews_without_saving(lucy: Client, make_resource: Callable[..., Resource]) -> None:
    resource = make_resource("Guide", description="Old text.")

    response = lucy.post(
        f"/content/resources/{resource.pk}/",
        resource_form(
            title="Guide",
            slug="guide",
            description="## New heading\n\nNew **bold** text <script>alert(1)</script>",
            action="preview",
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<section class="app-preview"' in html
    assert '<h3 class="govuk-heading-s">New heading</h3>' in html
    assert "New <strong>bold</strong> text" in html
    assert "<script>alert(1)</script>" not in html
    resource.refresh_from_db()
    assert resource.description == "Old text."
    assert resource.history.count() == 2  # created, then published: nothing from the preview


def test_it_publishes_and_unpublishes(
    lucy: Client, public_dave: Client, make_resource: Callable[..., Resource]
) -> None:
    resource = make_resource("Guide", published=False)

    lucy.post(f"/content/resources/{resource.pk}/publish/", {"action": "publish"})
    assert public_dave.get("/resources/guide/").status_code == 200

    lucy.post(f"/content/resources/{resource.pk}/publish/", {"action": "unpublish"})
    assert public_dave.get("/resources/guide/").status_code == 404
    resource.refresh_from_db()
    assert resource.is_published is False


def test_it_keeps_the_history_of_changes_with_who_made_them(lucy: Client, lead_lucy: User) -> None:
    lucy.post("/content/resources/new/", resource_form(title="Guide"))
    resource = Resource.objects.get()
    lucy.post(
        f"/content/resources/{resource.pk}/",
        resource_form(title="Bidding guide", slug="guide", description="Changed."),
    )
    lucy.post(f"/content/resources/{resource.pk}/publish/", {"action": "publish"})

    response = lucy.get(f"/content/resources/{resource.pk}/history/")

    entries = response.context["entries"].object_list
    assert [(e.action, e.who) for e in entries] == [
        ("Changed", "Lucy Lead"),
        ("Changed", "Lucy Lead"),
        ("Created", "Lucy Lead"),
    ]
    assert entries[0].changes == ["Published"]
    assert entries[1].changes == ["Title: “Guide” → “Bidding guide”", "Description changed"]
    html = response.content.decode()
    assert "By Lucy Lead" in html
    assert "Title: “Guide” → “Bidding guide”" in html


# --- FAQs and pages ---------------------------------------------------------------------------


def test_it_creates_and_previews_an_faq(lucy: Client) -> None:
    preview = lucy.post("/content/faqs/new/", faq_form(action="preview"))
    assert '<details class="govuk-details" open>' in preview.content.decode()
    assert not Faq.objects.exists()

    lucy.post("/content/faqs/new/", faq_form())

    faq = Faq.objects.get()
    assert (faq.slug, faq.category, faq.order, faq.is_published) == (
        "what-is-a-proxy-value",
        "basics",
        30,
        False,
    )


def test_it_edits_the_policy_page_and_keeps_it_live(
    lucy: Client, public_dave: Client, policy_page: Page
) -> None:
    response = lucy.post(
        f"/content/pages/{policy_page.pk}/",
        {"title": "Our social value policy", "summary": "", "body": "# Vision\n\nNew words."},
    )

    assert response.status_code == 302
    html = public_dave.get("/policy/").content.decode()
    assert '<h1 class="govuk-heading-xl">Our social value policy</h1>' in html
    assert "New words." in html


def test_it_creates_the_policy_page_as_a_draft_when_there_is_none(
    lucy: Client, public_dave: Client
) -> None:
    response = lucy.post("/content/pages/policy/create/")

    page = Page.objects.get(slug="policy")
    assert response["Location"] == f"/content/pages/{page.pk}/"
    assert page.is_published is False
    assert "# Policy vision and scope" in page.body
    assert "The full policy is not available" in public_dave.get("/policy/").content.decode()


def test_it_lists_drafts_and_published_content(lucy: Client, items: dict[str, Any]) -> None:
    html = lucy.get("/content/").content.decode()

    assert "Draft guide" in html
    assert "Draft question?" in html
    assert "Social value policy" in html
    assert '<strong class="govuk-tag govuk-tag--grey">Draft</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Published</strong>' in html
    drafts = lucy.get("/content/", {"status": "published"})
    assert list(drafts.context["page"].object_list) == []


# --- Feedback inbox ---------------------------------------------------------------------------


def test_it_lets_the_lead_review_feedback(lucy: Client, lead_lucy: User) -> None:
    feedback = feedback_submit(role="resident", suggestion="More events in Pendle.")

    inbox = lucy.get("/content/feedback/").content.decode()
    response = lucy.post(
        f"/content/feedback/{feedback.pk}/",
        {"status": "actioned", "notes": "Added a Pendle date."},
    )

    assert "More events in Pendle." in inbox
    assert response["Location"] == "/content/feedback/"
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.ACTIONED
    assert feedback.notes == "Added a Pendle date."
    assert feedback.reviewed_by == lead_lucy
    assert feedback.reviewed_at is not None
    filtered = lucy.get("/content/feedback/", {"status": "new"})
    assert list(filtered.context["page"].object_list) == []


def test_it_refuses_a_review_without_a_status(lucy: Client) -> None:
    feedback = feedback_submit(role="resident", suggestion="More events.")

    response = lucy.post(f"/content/feedback/{feedback.pk}/", {"status": "new", "notes": ""})

    assert "Choose what happened to the feedback." in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.NEW


@pytest.mark.parametrize("who", NOT_LEAD)
def test_it_keeps_feedback_from_everyone_but_the_lead(
    client_as: ClientAs, cast_member: CastMember, who: str
) -> None:
    feedback = feedback_submit(role="resident", suggestion="More events.")
    client = client_as(cast_member(who))

    assert client.get(f"/content/feedback/{feedback.pk}/").status_code == 403
    response = client.post(f"/content/feedback/{feedback.pk}/", {"status": "dismissed"})
    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.NEW
