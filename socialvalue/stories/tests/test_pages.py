"""Writing, sending and reviewing case studies, and who may use which page."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.utils.html import escape

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract
from socialvalue.framework.models import FrameworkVersion
from socialvalue.stories.forms import (
    ERR_ATTRIBUTION_REQUIRED,
    ERR_DECISION_REQUIRED,
    ERR_TITLE_REQUIRED,
)
from socialvalue.stories.images import ERR_IMAGE_TOO_BIG, ERR_IMAGE_TYPE
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.services import (
    ERR_ALT_REQUIRED,
    ERR_CONSENT,
    ERR_CONTRACT_NOT_YOURS,
    ERR_FIGURE_INCOMPLETE,
    ERR_RETURN_NOTE,
    ERR_UNPUBLISH_NOTE,
    case_study_return,
    case_study_save,
)
from socialvalue.stories.tests.conftest import (
    BOB_DRAFT_TITLE,
    content,
    form_data,
    picture,
    upload,
)

pytestmark = pytest.mark.django_db

ClientAs = Callable[[User | None], Client]
CastMember = Callable[[str | None], User | None]
Status = CaseStudy.Status

AUTHORS = ["supplier_bob", "supplier_carol", "officer_alice", "evaluator_erin", "lead_lucy"]
NOT_LEAD = ["supplier_bob", "supplier_carol", "officer_alice", "evaluator_erin", "partner_priya"]
# Signed in, but not in Bob's organisation: Bob's case study's author pages are 404 for them.
OTHER_AUTHORS = ["supplier_carol", "officer_alice", "officer_olga", "lead_lucy"]


def sign_in_redirect(response: HttpResponseBase, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next={path}"


# --- Who may use which page ------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(
    public_dave: Client, bob_submitted: CaseStudy
) -> None:
    slug = bob_submitted.slug
    for path in (
        "/case-studies/mine/",
        "/case-studies/new/",
        f"/case-studies/{slug}/edit/",
        f"/case-studies/{slug}/preview/",
        "/case-studies/review/",
        f"/case-studies/review/{slug}/",
    ):
        sign_in_redirect(public_dave.get(path), path)
    for path in (
        f"/case-studies/{slug}/submit/",
        f"/case-studies/{slug}/withdraw/",
        f"/case-studies/review/{slug}/",
    ):
        sign_in_redirect(public_dave.post(path, {"decision": "publish"}), path)
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.SUBMITTED


def test_it_keeps_partner_users_out_of_writing(
    client_as: ClientAs, partner_priya: User, bob_draft: CaseStudy
) -> None:
    client = client_as(partner_priya)
    slug = bob_draft.slug
    assert client.get("/case-studies/mine/").status_code == 403
    assert client.get("/case-studies/new/").status_code == 403
    assert client.post("/case-studies/new/", form_data()).status_code == 403
    assert client.get(f"/case-studies/{slug}/edit/").status_code == 403
    assert client.get(f"/case-studies/{slug}/preview/").status_code == 403
    assert client.post(f"/case-studies/{slug}/submit/").status_code == 403
    assert CaseStudy.objects.count() == 1


@pytest.mark.parametrize("who", AUTHORS)
def test_it_lets_suppliers_and_council_staff_write(
    client_as: ClientAs, cast_member: CastMember, toms: FrameworkVersion, who: str
) -> None:
    client = client_as(cast_member(who))
    assert client.get("/case-studies/mine/").status_code == 200
    new = client.get("/case-studies/new/")
    assert new.status_code == 200
    assert 'enctype="multipart/form-data"' in new.content.decode()


@pytest.mark.parametrize("who", OTHER_AUTHORS)
def test_it_hides_bobs_draft_from_everyone_outside_his_organisation(
    client_as: ClientAs, cast_member: CastMember, bob_draft: CaseStudy, who: str
) -> None:
    client = client_as(cast_member(who))
    slug = bob_draft.slug
    assert client.get(f"/case-studies/{slug}/edit/").status_code == 404
    assert client.post(f"/case-studies/{slug}/edit/", form_data(title="Taken")).status_code == 404
    assert client.get(f"/case-studies/{slug}/preview/").status_code == 404
    assert client.post(f"/case-studies/{slug}/submit/").status_code == 404
    assert BOB_DRAFT_TITLE not in client.get("/case-studies/mine/").content.decode()
    bob_draft.refresh_from_db()
    assert (bob_draft.title, bob_draft.status) == (BOB_DRAFT_TITLE, Status.DRAFT)


@pytest.mark.parametrize("who", NOT_LEAD)
def test_it_keeps_reviews_for_the_lead(
    client_as: ClientAs, cast_member: CastMember, bob_submitted: CaseStudy, who: str
) -> None:
    client = client_as(cast_member(who))
    slug = bob_submitted.slug
    assert client.get("/case-studies/review/").status_code == 403
    assert client.get(f"/case-studies/review/{slug}/").status_code == 403
    assert client.post(f"/case-studies/review/{slug}/", {"decision": "publish"}).status_code == 403
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.SUBMITTED


def test_it_does_not_show_the_lead_a_draft_to_review(
    client_as: ClientAs, lead_lucy: User, bob_draft: CaseStudy
) -> None:
    lead = client_as(lead_lucy)
    assert lead.get(f"/case-studies/review/{bob_draft.slug}/").status_code == 404
    assert BOB_DRAFT_TITLE not in lead.get("/case-studies/review/").content.decode()


# --- Writing ---------------------------------------------------------------------------------


def test_it_saves_a_new_case_study_with_a_photograph_and_shows_the_preview(
    client_as: ClientAs, supplier_bob: User, bobs_contract: Contract
) -> None:
    client = client_as(supplier_bob)
    data = form_data(contract=str(bobs_contract.pk), image_alt="Apprentices at work")
    data["image"] = upload()

    response = client.post("/case-studies/new/", data)

    case_study = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/case-studies/{case_study.slug}/preview/"
    assert case_study.status == Status.DRAFT
    assert case_study.contract == bobs_contract
    assert case_study.image.name.startswith("case-studies/")
    assert case_study.image_alt == "Apprentices at work"
    preview = client.get(response["Location"]).content.decode()
    assert "Preview of your case study" in preview
    assert "Send for review" in preview
    assert "Apprentices on the A59" in preview
    assert "LCC-2025-101" in preview


def test_it_keeps_the_largest_figure_to_the_last_digit(
    client_as: ClientAs, supplier_bob: User, toms: FrameworkVersion
) -> None:
    data = form_data(figure_1_value="999999999999.99")
    response = client_as(supplier_bob).post("/case-studies/new/", data)
    assert response.status_code == 302
    figure = CaseStudy.objects.get().figures.get()
    assert figure.value == Decimal("999999999999.99")


def test_it_lists_only_the_authors_organisations_contracts(
    client_as: ClientAs, supplier_bob: User, bobs_contract: Contract, carols_contract: Contract
) -> None:
    client = client_as(supplier_bob)
    html = client.get("/case-studies/new/").content.decode()
    assert "LCC-2025-101 – Gully cleansing" in html
    assert "LCC-2025-102" not in html

    response = client.post("/case-studies/new/", form_data(contract=str(carols_contract.pk)))
    assert response.status_code == 200
    assert escape(ERR_CONTRACT_NOT_YOURS) in response.content.decode()
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (upload(b"Just some text, not a picture.", name="photo.png"), ERR_IMAGE_TYPE),
        (upload(picture("GIF"), name="photo.png"), ERR_IMAGE_TYPE),
        (upload(b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024)), ERR_IMAGE_TOO_BIG),
    ],
    ids=["text-renamed-png", "gif", "over-5-mb"],
)
def test_it_refuses_a_file_that_is_not_a_small_jpeg_or_png(
    client_as: ClientAs, supplier_bob: User, toms: FrameworkVersion, image: object, message: str
) -> None:
    data = form_data(image_alt="Apprentices at work")
    data["image"] = image

    response = client_as(supplier_bob).post("/case-studies/new/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Write a case study" in html
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_image">{message}</a>' in html
    assert "govuk-file-upload--error" in html
    assert not CaseStudy.objects.exists()


def test_it_needs_alt_text_when_there_is_a_photograph(
    client_as: ClientAs, supplier_bob: User, toms: FrameworkVersion
) -> None:
    data = form_data(image_alt="")
    data["image"] = upload()

    response = client_as(supplier_bob).post("/case-studies/new/", data)

    assert response.status_code == 200
    assert f'<a href="#id_image_alt">{ERR_ALT_REQUIRED}</a>' in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_it_needs_alt_text_to_keep_a_photograph_already_there(
    client_as: ClientAs, supplier_bob: User, bob_draft: CaseStudy
) -> None:
    client = client_as(supplier_bob)
    response = client.post(f"/case-studies/{bob_draft.slug}/edit/", form_data(image_alt=""))
    assert ERR_ALT_REQUIRED in response.content.decode()

    removed = client.post(
        f"/case-studies/{bob_draft.slug}/edit/", form_data(image_alt="", remove_image="on")
    )
    assert removed.status_code == 302
    bob_draft.refresh_from_db()
    assert not bob_draft.image


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "id_title", ERR_TITLE_REQUIRED),
        ({"quote_attribution": ""}, "id_quote_attribution", ERR_ATTRIBUTION_REQUIRED),
        (
            {"figure_2_label": "Volunteering", "figure_2_value": ""},
            "id_figure_2_value",
            ERR_FIGURE_INCOMPLETE.format(n=2),
        ),
        (
            {"figure_1_value": "lots"},
            "id_figure_1_value",
            "Outcome figure 1: enter a number, like 6 or 1240.5.",
        ),
        (
            {"figure_1_value": "1000000000000"},
            "id_figure_1_value",
            "Outcome figure 1 must be 999,999,999,999.99 or less.",
        ),
        (
            {"figure_1_value": "6.125"},
            "id_figure_1_value",
            "Outcome figure 1 must have at most 2 decimal places.",
        ),
    ],
)
def test_it_explains_what_is_missing_and_saves_nothing(
    client_as: ClientAs,
    supplier_bob: User,
    toms: FrameworkVersion,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = client_as(supplier_bob).post("/case-studies/new/", form_data(**overrides))
    assert response.status_code == 200
    assert f'<a href="#{field}">{message}</a>' in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_it_changes_a_draft_keeping_the_photograph(
    client_as: ClientAs, supplier_bob: User, bob_draft: CaseStudy
) -> None:
    client = client_as(supplier_bob)
    form = client.get(f"/case-studies/{bob_draft.slug}/edit/")
    assert form.status_code == 200
    assert BOB_DRAFT_TITLE in form.content.decode()
    image = bob_draft.image.name

    response = client.post(
        f"/case-studies/{bob_draft.slug}/edit/",
        form_data(title="Gully crews mentor six school leavers", image_alt="Two apprentices"),
    )

    bob_draft.refresh_from_db()
    assert response["Location"] == "/case-studies/gully-crews-mentor-six-school-leavers/preview/"
    assert bob_draft.title == "Gully crews mentor six school leavers"
    assert bob_draft.image.name == image


def test_it_does_not_let_a_case_study_waiting_for_review_change(
    client_as: ClientAs, supplier_bob: User, bob_submitted: CaseStudy
) -> None:
    client = client_as(supplier_bob)
    edit = f"/case-studies/{bob_submitted.slug}/edit/"
    assert client.get(edit)["Location"] == f"/case-studies/{bob_submitted.slug}/preview/"
    client.post(edit, form_data(title="Sneaky change"))
    bob_submitted.refresh_from_db()
    assert bob_submitted.title == BOB_DRAFT_TITLE


def test_it_lists_the_organisations_case_studies(
    client_as: ClientAs, supplier_bob: User, bob_draft: CaseStudy, supplier_carol: User
) -> None:
    case_study_save(user=supplier_carol, content=content(title="Carol's own draft"))
    html = client_as(supplier_bob).get("/case-studies/mine/").content.decode()
    assert BOB_DRAFT_TITLE in html
    assert "Carol&#x27;s own draft" not in html
    assert "<caption" in html
    assert "Draft" in html
    empty = client_as(supplier_carol).get("/case-studies/mine/").content.decode()
    assert BOB_DRAFT_TITLE not in empty


def test_it_says_when_the_organisation_has_none(
    client_as: ClientAs, officer_olga: User, toms: FrameworkVersion
) -> None:
    html = client_as(officer_olga).get("/case-studies/mine/").content.decode()
    assert "Your organisation has not written any case studies yet." in html


# --- Sending for review ----------------------------------------------------------------------


def test_it_sends_a_draft_for_review_and_withdraws_it(
    client_as: ClientAs, supplier_bob: User, bob_draft: CaseStudy
) -> None:
    client = client_as(supplier_bob)
    response = client.post(f"/case-studies/{bob_draft.slug}/submit/")
    assert response["Location"] == f"/case-studies/{bob_draft.slug}/preview/"
    bob_draft.refresh_from_db()
    assert bob_draft.status == Status.SUBMITTED
    assert "Withdraw from review" in client.get(response["Location"]).content.decode()

    client.post(f"/case-studies/{bob_draft.slug}/withdraw/")
    bob_draft.refresh_from_db()
    assert bob_draft.status == Status.DRAFT


def test_it_will_not_send_without_consent(
    client_as: ClientAs, supplier_bob: User, toms: FrameworkVersion
) -> None:
    draft = case_study_save(user=supplier_bob, content=content(consent_to_publish=False))
    client = client_as(supplier_bob)
    preview = client.get(f"/case-studies/{draft.slug}/preview/").content.decode()
    assert "Before you send it, confirm that the people" in preview
    assert "Send for review" not in preview

    response = client.post(f"/case-studies/{draft.slug}/submit/", follow=True)

    assert ERR_CONSENT in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_shows_the_leads_note_on_a_returned_case_study(
    client_as: ClientAs, supplier_bob: User, bob_submitted: CaseStudy, lead_lucy: User
) -> None:
    case_study_return(case_study=bob_submitted, reviewer=lead_lucy, note="Add a figure, please.")
    client = client_as(supplier_bob)
    assert (
        "Add a figure, please."
        in client.get(f"/case-studies/{bob_submitted.slug}/preview/").content.decode()
    )
    assert (
        "Add a figure, please."
        in client.get(f"/case-studies/{bob_submitted.slug}/edit/").content.decode()
    )


# --- The lead's review -----------------------------------------------------------------------


def test_it_lists_case_studies_waiting_for_review(
    client_as: ClientAs, lead_lucy: User, bob_submitted: CaseStudy
) -> None:
    html = client_as(lead_lucy).get("/case-studies/review/").content.decode()
    assert BOB_DRAFT_TITLE in html
    assert f'href="/case-studies/review/{bob_submitted.slug}/"' in html
    assert "Bob&#x27;s Building Ltd" in html


def test_it_publishes_after_review(
    client_as: ClientAs, lead_lucy: User, bob_submitted: CaseStudy, public_dave: Client
) -> None:
    lead = client_as(lead_lucy)
    page = lead.get(f"/case-studies/review/{bob_submitted.slug}/").content.decode()
    assert "Bob&#x27;s unpublished summary." in page
    assert "Publish the case study" in page

    response = lead.post(f"/case-studies/review/{bob_submitted.slug}/", {"decision": "publish"})

    assert response["Location"] == "/case-studies/review/"
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.PUBLISHED
    assert bob_submitted.reviewed_by == lead_lucy
    assert BOB_DRAFT_TITLE in public_dave.get("/case-studies/").content.decode()


def test_it_returns_with_a_note_and_refuses_to_return_without_one(
    client_as: ClientAs, lead_lucy: User, bob_submitted: CaseStudy
) -> None:
    lead = client_as(lead_lucy)
    path = f"/case-studies/review/{bob_submitted.slug}/"

    nothing = lead.post(path, {})
    assert f">{ERR_DECISION_REQUIRED}</a>" in nothing.content.decode()
    no_note = lead.post(path, {"decision": "return", "note": " "})
    assert f'<a href="#id_note">{ERR_RETURN_NOTE}</a>' in no_note.content.decode()
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.SUBMITTED

    lead.post(path, {"decision": "return", "note": "Please add the apprentices' views."})
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.RETURNED
    assert bob_submitted.review_note == "Please add the apprentices' views."


def test_it_lets_the_lead_unpublish_with_a_note(
    client_as: ClientAs, lead_lucy: User, bob_published: CaseStudy
) -> None:
    lead = client_as(lead_lucy)
    path = f"/case-studies/review/{bob_published.slug}/"
    assert "Unpublish" in lead.get(path).content.decode()

    refused = lead.post(path, {"note": ""})
    assert ERR_UNPUBLISH_NOTE in refused.content.decode()
    bob_published.refresh_from_db()
    assert bob_published.status == Status.PUBLISHED

    lead.post(path, {"note": "A person named has withdrawn consent."})
    bob_published.refresh_from_db()
    assert bob_published.status == Status.RETURNED
    assert bob_published.published_at is None


def test_it_does_not_decide_twice(
    client_as: ClientAs, lead_lucy: User, bob_submitted: CaseStudy
) -> None:
    lead = client_as(lead_lucy)
    path = f"/case-studies/review/{bob_submitted.slug}/"
    lead.post(path, {"decision": "return", "note": "Needs a figure."})
    again = lead.post(path, {"decision": "publish"}, follow=True)
    assert "This case study is not waiting for review any more." in again.content.decode()
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.RETURNED
