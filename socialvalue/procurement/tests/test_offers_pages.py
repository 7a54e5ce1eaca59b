"""The supplier pages: opportunities, the offer editor with its running total, submitting,
the receipt, withdrawing, and read-only offers after the deadline."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.offers.services import (
    bid_start,
    bid_submit,
    bid_update,
)
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.offers_support import ANSWERS, add_line, measure, pass_deadline

ClientAs = Callable[[User | None], Client]
STAFF = ["officer_alice", "evaluator_erin", "lead_lucy", "officer_olga"]


@pytest.fixture
def tender(make_tender: TenderMaker) -> Tender:
    # Noon (UK time) 14 days from today, whatever the time of day the test runs.
    now = timezone.localtime()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=14)
    return make_tender(
        status=Tender.Status.OPEN,
        deadline_in=noon - now,
        title="Highways maintenance framework",
    )


@pytest.fixture
def bid(tender: Tender, supplier_bob: User) -> Bid:
    return bid_start(tender=tender, supplier=supplier_bob.organisation, by=supplier_bob)  # type: ignore[arg-type]


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


def _form(tender: Tender, code: str, quantity: str, **fields: str) -> dict[str, str]:
    return {
        "measure": str(measure(tender, code).pk),
        "quantity": quantity,
        "target_district": "",
        **ANSWERS,
        **fields,
    }


def _text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# --- Who may see the pages ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["procurement:opportunity_list", "procurement:offer_list"])
def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client, name: str) -> None:
    response = public_dave.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_sends_anonymous_visitors_to_sign_in_from_every_offer_page(
    public_dave: Client, bid: Bid
) -> None:
    commitment_pages = ["commitment_new"]
    for name in [
        "offer_edit",
        "offer_submit",
        "offer_receipt",
        "offer_withdraw",
        "offer_upload",
        "offer_template_download",
        *commitment_pages,
    ]:
        response = public_dave.get(reverse(f"procurement:{name}", args=[bid.pk]))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
    response = public_dave.get(reverse("procurement:opportunity_detail", args=[bid.tender_id]))
    assert response.status_code == 302


@pytest.mark.parametrize("who", STAFF)
def test_it_refuses_council_staff_the_supplier_pages(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, bid: Bid
) -> None:
    client = client_as(request.getfixturevalue(who))
    for url in [
        reverse("procurement:opportunity_list"),
        reverse("procurement:opportunity_detail", args=[bid.tender_id]),
        reverse("procurement:offer_list"),
        reverse("procurement:commitment_new", args=[bid.pk]),
        reverse("procurement:offer_submit", args=[bid.pk]),
        reverse("procurement:offer_withdraw", args=[bid.pk]),
        reverse("procurement:offer_upload", args=[bid.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("procurement:offer_start", args=[bid.tender_id])).status_code == 403
    assert (
        client.post(reverse("procurement:offer_edit", args=[bid.pk]), {"price": "1"}).status_code
        == 403
    )
    bid.refresh_from_db()
    assert bid.price is None


# --- Opportunities --------------------------------------------------------------------------


def test_it_lists_open_tenders_of_every_buyer_with_what_a_supplier_needs(
    bob: Client, make_tender: TenderMaker, tender: Tender, officer_olga: User
) -> None:
    make_tender(status=Tender.Status.DRAFT, title="Unpublished draft")
    make_tender(status=Tender.Status.CLOSED, title="Closed already")
    make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(hours=-1), title="Past deadline")
    from socialvalue.procurement.services import tender_create

    blackpool = tender_create(
        organisation=officer_olga.organisation,  # type: ignore[arg-type]
        created_by=officer_olga,
        reference="BC-22",
        title="Promenade cleaning",
        description="Beach and promenade cleaning.",
        category=Tender.Category.FACILITIES,
        estimated_value=Decimal("250000"),
        duration_months=24,
        deadline=tender.deadline + timedelta(days=5),
    )
    Tender.objects.filter(pk=blackpool.pk).update(status=Tender.Status.OPEN)

    response = bob.get(reverse("procurement:opportunity_list"))
    assert response.status_code == 200
    text = _text(response)
    assert "2 open tenders" in text
    assert "Highways maintenance framework" in text
    assert "LCC-T-001" in text
    assert "Lancashire County Council" in text
    assert "Highways" in text
    assert "£1,000,000.00" in text
    assert "10% of the total marks" in text
    assert "(closes in 14 days)" in text
    assert "Promenade cleaning" in text
    assert "Blackpool Council" in text
    assert "Facilities management" in text
    for hidden in ["Unpublished draft", "Closed already", "Past deadline"]:
        assert hidden not in text
    # Closing soonest first.
    assert text.index("Highways maintenance framework") < text.index("Promenade cleaning")


def test_it_filters_opportunities_by_category_and_search(
    bob: Client, make_tender: TenderMaker, tender: Tender
) -> None:
    make_tender(title="School meals", category=Tender.Category.CHILDRENS_SERVICES)
    by_category = _text(bob.get(reverse("procurement:opportunity_list"), {"category": "highways"}))
    assert "Highways maintenance framework" in by_category
    assert "School meals" not in by_category
    assert "1 open tender found" in by_category
    by_search = _text(bob.get(reverse("procurement:opportunity_list"), {"q": "meals"}))
    assert "School meals" in by_search
    assert "Highways maintenance framework" not in by_search
    nothing = _text(bob.get(reverse("procurement:opportunity_list"), {"q": "zeppelin"}))
    assert "No open tenders match your search." in nothing
    unknown = bob.get(reverse("procurement:opportunity_list"), {"category": "<script>"})
    assert unknown.status_code == 200
    assert "2 open tenders" in _text(unknown)


def test_it_shows_an_empty_state_without_open_tenders(bob: Client, toms: object) -> None:
    text = _text(bob.get(reverse("procurement:opportunity_list")))
    assert "There are no tenders open for offers at the moment." in text


def test_it_pages_long_lists_of_opportunities(bob: Client, make_tender: TenderMaker) -> None:
    for _ in range(21):
        make_tender()
    first = _text(bob.get(reverse("procurement:opportunity_list")))
    assert "21 open tenders" in first
    assert first.count('class="app-opportunity"') == 20
    assert 'rel="next"' in first
    second = _text(bob.get(reverse("procurement:opportunity_list"), {"page": 2}))
    assert second.count('class="app-opportunity"') == 1


def test_it_explains_what_a_tender_asks_for_and_how_it_is_scored(
    bob: Client, tender: Tender
) -> None:
    response = bob.get(reverse("procurement:opportunity_detail", args=[tender.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "Highways maintenance framework" in text
    assert "Start your offer" in text
    assert "Social value is worth <strong>10%</strong> of the total marks" in text
    assert "What you commit to: 5 marks" in text
    assert "How you will deliver it: 5 marks" in text
    assert "scores 2 or more" in text
    assert "43 measures" in text
    assert "Employment and skills" in text
    assert "Environment sustainability" in text
    assert "£31,285.00" in text  # NT1's proxy value
    assert "No proxy value" in text  # NT41
    assert "5: Excellent" in text


def test_it_starts_an_offer_once_and_then_offers_to_continue_it(
    bob: Client, tender: Tender, supplier_bob: User
) -> None:
    start = reverse("procurement:offer_start", args=[tender.pk])
    response = bob.post(start)
    bid = Bid.objects.get(tender=tender, supplier=supplier_bob.organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:offer_edit", args=[bid.pk])
    assert bob.post(start)["Location"] == reverse("procurement:offer_edit", args=[bid.pk])
    assert Bid.objects.filter(tender=tender).count() == 1
    text = _text(bob.get(reverse("procurement:opportunity_detail", args=[tender.pk])))
    assert "Continue your offer" in text
    assert "Start your offer" not in text


def test_it_hides_draft_tenders_and_refuses_to_start_after_the_deadline(
    bob: Client, make_tender: TenderMaker
) -> None:
    draft = make_tender(status=Tender.Status.DRAFT)
    assert bob.get(reverse("procurement:opportunity_detail", args=[draft.pk])).status_code == 404
    assert bob.post(reverse("procurement:offer_start", args=[draft.pk])).status_code == 404
    late = make_tender(deadline_in=timedelta(minutes=-1))
    response = bob.post(reverse("procurement:offer_start", args=[late.pk]), follow=True)
    assert "has passed" in _text(response)
    assert not Bid.objects.exists()


# --- The offer editor -----------------------------------------------------------------------


def test_it_saves_the_bid_price_and_shows_errors_without_saving(bob: Client, bid: Bid) -> None:
    url = reverse("procurement:offer_edit", args=[bid.pk])
    response = bob.post(url, {"price": "abc"})
    assert response.status_code == 200
    text = _text(response)
    assert "govuk-error-summary" in text
    assert "Enter the bid price as an amount in pounds, like 1250000 or 1250000.50" in text
    assert "govuk-input--error" in text
    assert "<title>Error: " in text
    bid.refresh_from_db()
    assert bid.price is None
    assert "Enter your bid price" in _text(bob.post(url, {"price": ""}))
    response = bob.post(url, {"price": "£1,250,000.50"})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.price == Decimal("1250000.50")


def test_it_shows_the_running_total_without_javascript_after_each_save(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    add_line(bid, supplier_bob, "NT1", "2.5")
    response = bob.post(
        reverse("procurement:commitment_new", args=[bid.pk]), _form(bid.tender, "NT4", "0.5")
    )
    assert response.status_code == 302
    text = _text(bob.get(reverse("procurement:offer_edit", args=[bid.pk])))
    # 2.5 × £31,285.00 + 0.5 × £15,382.90 = £78,212.50 + £7,691.45 = £85,903.95
    assert "£85,903.95" in text
    # £85,903.95 / £1,000,000 × 100 = 8.590395% → 8.59%
    assert "8.59%" in text
    assert "Employment and skills" in text
    assert "£7,691.45" in text


def test_it_updates_the_running_total_live_as_the_price_is_typed(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    add_line(bid, supplier_bob, "NT1", "2.5")
    add_line(bid, supplier_bob, "NT4", "0.5")
    url = reverse("procurement:offer_edit", args=[bid.pk])
    response = bob.get(url, {"price": "1,000,000"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = _text(response)
    assert "<html" not in text
    assert "£85,903.95" in text
    assert "8.59%" in text
    assert "£1,000,000.00" in text
    assert "HX-Request" in response["Vary"]
    bad = _text(bob.get(url, {"price": "lots"}, HTTP_HX_REQUEST="true"))
    assert "£85,903.95" in bad
    assert "Enter the bid price as an amount in pounds" in bad
    bid.refresh_from_db()
    assert bid.price is None  # typing never saves


def test_it_updates_the_running_total_live_as_a_quantity_is_typed(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    add_line(bid, supplier_bob, "NT1", "2.5")
    url = reverse("procurement:commitment_new", args=[bid.pk])
    nt4 = measure(bid.tender, "NT4")
    response = bob.get(url, {"measure": str(nt4.pk), "quantity": "0.5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = _text(response)
    assert "<html" not in text
    assert "£7,691.45" in text  # 0.5 × £15,382.90
    assert "£85,903.95" in text
    assert "8.59%" in text
    error = _text(bob.get(url, {"measure": str(nt4.pk), "quantity": "-1"}, HTTP_HX_REQUEST="true"))
    assert "Enter a quantity of more than 0" in error
    assert "£78,212.50" in error  # the saved offer alone
    assert bid.commitments.count() == 1


def test_it_counts_the_commitment_being_changed_once_in_the_live_total(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    nt1 = add_line(bid, supplier_bob, "NT1", "2.5")
    url = reverse("procurement:commitment_edit", args=[bid.pk, nt1.pk])
    text = _text(
        bob.get(
            url,
            {"measure": str(measure(bid.tender, "NT1").pk), "quantity": "1"},
            HTTP_HX_REQUEST="1",
        )
    )
    assert "£31,285.00" in text  # 1 × £31,285.00 replaces 2.5 × £31,285.00
    assert "3.13%" in text  # 31,285 / 1,000,000 = 3.1285% → 3.13%
    assert "£78,212.50" not in text


def test_it_lists_every_problem_with_a_commitment_form_and_saves_nothing(
    bob: Client, bid: Bid
) -> None:
    url = reverse("procurement:commitment_new", args=[bid.pk])
    response = bob.post(
        url, _form(bid.tender, "NT1", "0", activity="", who_delivers="", timing="", evidence="")
    )
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text
    for message in [
        "Enter a quantity of more than 0",
        "Enter what you will do",
        "Enter who will deliver it",
        "Enter when it will happen",
        "Enter the evidence you will provide",
    ]:
        assert message in text
    assert 'href="#id_activity"' in text
    assert not bid.commitments.exists()
    missing = _text(bob.post(url, {"quantity": "1", **ANSWERS}))
    assert "Choose the measure you are committing to" in missing
    wrong = _text(bob.post(url, {**_form(bid.tender, "NT1", "1"), "measure": "999999"}))
    assert "Choose a measure from this tender&#x27;s menu" in wrong


def test_it_keeps_the_largest_price_and_quantity_and_refuses_more_naming_the_limit(
    bob: Client, bid: Bid
) -> None:
    price_url = reverse("procurement:offer_edit", args=[bid.pk])
    too_dear = _text(bob.post(price_url, {"price": "£1,000,000,000,000"}))
    assert "There is a problem" in too_dear
    assert "Bid price must be £999,999,999,999.99 or less" in too_dear
    assert bob.post(price_url, {"price": "999,999,999,999.99"}).status_code == 302
    bid.refresh_from_db()
    assert bid.price == Decimal("999999999999.99")

    url = reverse("procurement:commitment_new", args=[bid.pk])
    too_many = _text(bob.post(url, _form(bid.tender, "NT18", "1,000,000,000")))
    assert "There is a problem" in too_many
    assert "Quantity must be 999,999,999.999999 or less" in too_many
    assert not bid.commitments.exists()
    assert bob.post(url, _form(bid.tender, "NT18", "999,999,999.999999")).status_code == 302
    assert bid.commitments.get().quantity == Decimal("999999999.999999")


def test_it_changes_and_removes_a_commitment(bob: Client, bid: Bid, supplier_bob: User) -> None:
    commitment = add_line(bid, supplier_bob, "NT1", "2.5")
    url = reverse("procurement:commitment_edit", args=[bid.pk, commitment.pk])
    form = _text(bob.get(url))
    assert 'value="2.5"' in form
    assert ANSWERS["evidence"] in form
    response = bob.post(url, _form(bid.tender, "NT1", "3", target_district="E07000117"))
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.quantity == Decimal("3")
    assert commitment.target_district == "E07000117"
    remove = reverse("procurement:commitment_remove", args=[bid.pk, commitment.pk])
    assert "Remove commitment NT1?" in _text(bob.get(remove))
    assert bob.post(remove).status_code == 302
    assert not bid.commitments.exists()


def test_it_gives_another_supplier_404_for_every_page_of_an_offer(
    client_as: ClientAs, supplier_carol: User, bid: Bid, supplier_bob: User
) -> None:
    commitment = add_line(bid, supplier_bob, "NT1", "1")
    carol = client_as(supplier_carol)
    pages = [
        reverse(f"procurement:{name}", args=[bid.pk])
        for name in [
            "offer_edit",
            "commitment_new",
            "offer_upload",
            "offer_template_download",
            "offer_submit",
            "offer_receipt",
            "offer_withdraw",
        ]
    ] + [
        reverse("procurement:commitment_edit", args=[bid.pk, commitment.pk]),
        reverse("procurement:commitment_remove", args=[bid.pk, commitment.pk]),
    ]
    read_only = {
        reverse("procurement:offer_template_download", args=[bid.pk]),
        reverse("procurement:offer_receipt", args=[bid.pk]),
    }
    for url in pages:
        assert carol.get(url).status_code == 404, url
        if url not in read_only:
            assert carol.post(url, _form(bid.tender, "NT4", "1")).status_code == 404, url
    assert carol.post(reverse("procurement:offer_reopen", args=[bid.pk])).status_code == 404
    assert bid.commitments.count() == 1


# --- Submitting, the receipt, withdrawing ---------------------------------------------------


def test_it_lists_what_stops_an_offer_being_submitted(bob: Client, bid: Bid) -> None:
    url = reverse("procurement:offer_submit", args=[bid.pk])
    text = _text(bob.get(url))
    assert "Your offer is not ready to submit" in text
    assert "Enter your bid price." in text
    assert "Add at least one commitment to your offer." in text
    assert "Submit offer</button>" not in text
    response = bob.post(url)
    assert response.status_code == 200
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT


def test_it_submits_after_checking_and_shows_the_receipt(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    add_line(bid, supplier_bob, "NT1", "2.5")
    url = reverse("procurement:offer_submit", args=[bid.pk])
    check = _text(bob.get(url))
    assert "Check your offer before submitting it" in check
    assert "£78,212.50" in check
    assert ANSWERS["activity"] in check
    assert "Submit offer</button>" in check
    response = bob.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:offer_receipt", args=[bid.pk])
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    receipt = _text(bob.get(response["Location"]))
    assert "govuk-panel--confirmation" in receipt
    assert "Offer submitted" in receipt
    assert bid.receipt_reference in receipt
    assert "bob@bobsbuilding.example" in receipt
    assert len(mail.outbox) == 1
    assert bid.receipt_reference in mail.outbox[0].body
    editor = _text(bob.get(reverse("procurement:offer_edit", args=[bid.pk])))
    assert bid.receipt_reference in editor
    assert "Withdraw your offer" in editor


def test_it_shows_no_receipt_for_a_draft(bob: Client, bid: Bid) -> None:
    response = bob.get(reverse("procurement:offer_receipt", args=[bid.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:offer_edit", args=[bid.pk])


def test_it_tells_the_supplier_when_a_submitted_offer_has_changed_since_its_receipt(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    add_line(bid, supplier_bob, "NT1", "2.5")
    bid_submit(bid=Bid.objects.get(pk=bid.pk), by=supplier_bob)
    response = bob.post(
        reverse("procurement:commitment_new", args=[bid.pk]),
        _form(bid.tender, "NT4", "0.5"),
        follow=True,
    )
    text = _text(response)
    assert "Your offer is still submitted with this change." in text
    assert "You have changed your offer since that receipt." in text
    bid.refresh_from_db()
    assert bid.status == Bid.Status.SUBMITTED
    assert "Submit offer again</button>" in _text(
        bob.get(reverse("procurement:offer_submit", args=[bid.pk]))
    )


def test_it_withdraws_after_confirmation_and_reopens_as_a_draft(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    add_line(bid, supplier_bob, "NT1", "2.5")
    bid_submit(bid=Bid.objects.get(pk=bid.pk), by=supplier_bob)
    url = reverse("procurement:offer_withdraw", args=[bid.pk])
    assert "Are you sure you want to withdraw your offer?" in _text(bob.get(url))
    response = bob.post(url, follow=True)
    assert "Your offer has been withdrawn." in _text(response)
    assert "Reopen as a draft" in _text(response)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN
    response = bob.post(reverse("procurement:offer_reopen", args=[bid.pk]), follow=True)
    assert "Your offer is a draft again." in _text(response)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT


def test_it_makes_everything_read_only_after_the_deadline(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    bid_update(bid=bid, by=supplier_bob, price=Decimal("1000000"))
    commitment = add_line(bid, supplier_bob, "NT1", "2.5")
    pass_deadline(bid.tender)
    editor = _text(bob.get(reverse("procurement:offer_edit", args=[bid.pk])))
    assert "has passed, so this offer can no longer be changed" in editor
    assert "Save price" not in editor
    assert "Add a commitment" not in editor
    assert "Upload template" not in editor
    assert "Check and submit" not in editor
    assert "£78,212.50" in editor
    assert "Not submitted" in editor
    for url in [
        reverse("procurement:commitment_new", args=[bid.pk]),
        reverse("procurement:commitment_edit", args=[bid.pk, commitment.pk]),
        reverse("procurement:commitment_remove", args=[bid.pk, commitment.pk]),
        reverse("procurement:offer_submit", args=[bid.pk]),
        reverse("procurement:offer_upload", args=[bid.pk]),
    ]:
        response = bob.post(url, _form(bid.tender, "NT4", "1"))
        assert response.status_code == 302, url
        assert response["Location"] == reverse("procurement:offer_edit", args=[bid.pk])
    response = bob.post(
        reverse("procurement:offer_edit", args=[bid.pk]), {"price": "5"}, follow=True
    )
    assert "has passed" in _text(response)
    bid.refresh_from_db()
    assert bid.price == Decimal("1000000.00")
    assert bid.status == Bid.Status.DRAFT
    assert list(bid.commitments.values_list("quantity", flat=True)) == [Decimal("2.5")]
    assert mail.outbox == []


# --- The supplier's list of offers ----------------------------------------------------------


def test_it_lists_the_suppliers_own_offers_with_their_status(
    bob: Client,
    client_as: ClientAs,
    supplier_carol: User,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
) -> None:
    draft_tender = make_tender(title="Road gritting")
    submitted_tender = make_tender(title="Bridge repairs")
    lost_tender = make_tender(
        status=Tender.Status.AWARDED, deadline_in=timedelta(days=-30), title="Street lighting"
    )
    make_bid(draft_tender, bobs_building, status=Bid.Status.DRAFT)
    make_bid(submitted_tender, bobs_building)
    make_bid(lost_tender, bobs_building, status=Bid.Status.UNSUCCESSFUL)
    make_bid(submitted_tender, carols_care)
    text = _text(bob.get(reverse("procurement:offer_list")))
    assert "Road gritting" in text
    assert "Draft" in text
    assert "Bridge repairs" in text
    assert "Submitted" in text
    assert "Street lighting" in text
    assert "Unsuccessful" in text
    assert text.count("govuk-tag ") == 3
    carol_text = _text(client_as(supplier_carol).get(reverse("procurement:offer_list")))
    assert "Bridge repairs" in carol_text
    assert "Road gritting" not in carol_text


def test_it_shows_an_empty_list_of_offers(bob: Client, toms: object) -> None:
    text = _text(bob.get(reverse("procurement:offer_list")))
    assert "You have not started any offers yet." in text


def test_it_downloads_the_offer_template_filled_with_the_offer(
    bob: Client, bid: Bid, supplier_bob: User
) -> None:
    add_line(bid, supplier_bob, "NT1", "2.5")
    response = bob.get(reverse("procurement:offer_template_download", args=[bid.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="offer-LCC-T-001.xlsx"' in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_it_knows_every_measure_on_the_menu_is_offered_in_its_own_unit(
    bob: Client, bid: Bid
) -> None:
    text = _text(bob.get(reverse("procurement:commitment_new", args=[bid.pk])))
    assert (
        text.count("<option value=")
        == Measure.objects.filter(version=bid.tender.framework_version).count() + 1 + 16
    )  # the menu, "Choose a measure", and the district list
    assert '<optgroup label="Employment and skills">' in text


def test_it_links_the_tender_pack_from_the_opportunity(bob: Client, tender: Tender) -> None:
    text = _text(bob.get(reverse("procurement:opportunity_detail", args=[tender.pk])))
    for name in ("itt_docx", "qdp_docx", "offer_template_xlsx"):
        assert reverse(f"procurement:{name}", args=[tender.pk]) in text


def test_it_links_a_decided_offer_to_its_debrief(
    bob: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    awarded = make_tender(status=Tender.Status.AWARDED, deadline_in=timedelta(days=-30))
    lost = make_bid(awarded, bobs_building, status=Bid.Status.UNSUCCESSFUL)
    open_bid = make_bid(make_tender(), bobs_building)
    text = _text(bob.get(reverse("procurement:offer_list")))
    assert reverse("procurement:debrief", args=[lost.pk]) in text
    assert reverse("procurement:debrief", args=[open_bid.pk]) not in text
