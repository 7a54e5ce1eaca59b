"""The officers' tender pages: list, create, edit, detail and the lifecycle buttons."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from socialvalue.accounts.models import Directorate, Organisation, User
from socialvalue.accounts.tests.factories import DirectorateFactory, ServiceAreaFactory
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

ClientAs = Callable[[User | None], Client]
S = Tender.Status


@pytest.fixture
def alice(client_as: ClientAs, officer_alice: User) -> Client:
    return client_as(officer_alice)


def _form(**fields: Any) -> dict[str, Any]:
    data = {
        "reference": "LCC-2030-001",
        "title": "Winter gritting",
        "description": "Gritting the county's priority routes.",
        "directorate": "",
        "service_area": "",
        "category": "highways",
        "estimated_value": "250000",
        "duration_months": "24",
        "deadline_date_day": "1",
        "deadline_date_month": "7",
        "deadline_date_year": "2030",
        "deadline_time": "17:30",
        "sv_weighting": "10",
        "quantitative_share": "50",
        "quant_basis": "value",
        "deliverability_threshold": "2",
    }
    data.update(fields)
    return data


# --- List ------------------------------------------------------------------------------------


def test_it_lists_the_organisations_tenders_with_status_tags(
    alice: Client, make_tender: TenderMaker
) -> None:
    make_tender(status=S.DRAFT, title="Road resurfacing")
    make_tender(status=S.CANCELLED, title="Bridge painting")
    html = alice.get("/tenders/").content.decode()
    assert "Road resurfacing" in html
    assert '<strong class="govuk-tag govuk-tag--grey">Draft</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--red">Cancelled</strong>' in html
    assert "2 tenders." in html
    assert 'href="/tenders/new/"' in html


def test_it_offers_no_create_button_to_evaluators(
    client_as: ClientAs, evaluator_erin: User, make_tender: TenderMaker
) -> None:
    make_tender()
    html = client_as(evaluator_erin).get("/tenders/").content.decode()
    assert "Create a tender" not in html


def test_it_shows_an_empty_state(alice: Client) -> None:
    html = alice.get("/tenders/").content.decode()
    assert "Your organisation has no tenders yet." in html
    assert "Filter tenders" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=draft", ["LCC-T-001"]),
        ("status=open", ["LCC-T-002", "LCC-T-003"]),
        ("category=ict", ["LCC-T-003"]),
        ("q=t-002", ["LCC-T-002"]),
        ("q=gritting", ["LCC-T-003"]),
        ("status=open&category=highways", ["LCC-T-002"]),
        ("status=nonsense", ["LCC-T-001", "LCC-T-002", "LCC-T-003"]),
    ],
)
def test_it_filters_the_list(
    alice: Client, make_tender: TenderMaker, query: str, expected: list[str]
) -> None:
    make_tender(status=S.DRAFT)
    make_tender(status=S.OPEN)
    make_tender(status=S.OPEN, category=Tender.Category.ICT, title="Gritting app")
    response = alice.get(f"/tenders/?{query}")
    assert response.status_code == 200
    shown = sorted(t.reference for t in response.context["page"])
    assert shown == expected


def test_it_filters_by_directorate(
    alice: Client, make_tender: TenderMaker, council: Organisation
) -> None:
    adults = DirectorateFactory.create(organisation=council, name="Adult Services")
    make_tender(directorate=adults)
    make_tender()
    response = alice.get(f"/tenders/?directorate={adults.pk}")
    assert [t.reference for t in response.context["page"]] == ["LCC-T-001"]
    assert "1 tender matches your filters." in response.content.decode()


def test_it_says_when_nothing_matches(alice: Client, make_tender: TenderMaker) -> None:
    make_tender(status=S.OPEN)
    html = alice.get("/tenders/?status=awarded").content.decode()
    assert "No tenders match your filters" in html
    assert "Clear filters" in html


def test_it_pages_the_list_by_twenty_keeping_the_filters(
    alice: Client, make_tender: TenderMaker
) -> None:
    for _ in range(25):
        make_tender(status=S.OPEN)
    make_tender(status=S.DRAFT)
    first = alice.get("/tenders/?status=open")
    assert len(first.context["page"]) == 20
    assert 'href="?status=open&amp;page=2"' in first.content.decode()
    second = alice.get("/tenders/?status=open&page=2")
    assert len(second.context["page"]) == 5
    assert "Showing 21 to 25." in second.content.decode()


# --- Create ----------------------------------------------------------------------------------


def test_it_shows_the_policy_defaults_on_the_create_form(alice: Client, toms: object) -> None:
    response = alice.get("/tenders/new/")
    html = response.content.decode()
    assert response.context["form"]["sv_weighting"].value() == "10"
    assert response.context["form"]["quantitative_share"].value() == "50"
    assert "Tenders worth £100,000.00 or more need at least 10%" in html
    assert "below £100,000.00 social value is optional" in html
    assert "Policy default: 50%." in html
    assert "2 – Minor reservations" in html


def test_it_creates_a_draft_with_the_deadline_in_uk_time(
    alice: Client, officer_alice: User, toms: object
) -> None:
    area = officer_alice.service_area
    assert area is not None
    response = alice.post(
        "/tenders/new/", _form(directorate=area.directorate_id, service_area=area.pk)
    )
    tender = Tender.objects.get(reference="LCC-2030-001")
    assert response.status_code == 302
    assert response["Location"] == f"/tenders/{tender.pk}/"
    assert tender.status == S.DRAFT
    assert tender.organisation == officer_alice.organisation
    assert tender.created_by == officer_alice
    assert tender.estimated_value == Decimal("250000.00")
    # 1 July 2030 17:30 is British Summer Time: 16:30 UTC.
    assert tender.deadline == datetime(2030, 7, 1, 16, 30, tzinfo=UTC)
    assert tender.menu.count() == 43
    assert tender.service_area == area


def test_it_takes_a_service_area_without_a_directorate(
    alice: Client, officer_alice: User, toms: object
) -> None:
    area = officer_alice.service_area
    assert area is not None
    alice.post("/tenders/new/", _form(service_area=area.pk, estimated_value="£1,250,000.50"))
    tender = Tender.objects.get(reference="LCC-2030-001")
    assert tender.directorate_id == area.directorate_id
    assert tender.estimated_value == Decimal("1250000.50")


@pytest.mark.parametrize(
    ("value", "weighting", "message"),
    [
        (
            "250000",
            "5",
            "This tender is worth £250,000.00, at or above the £100,000.00 threshold, so its "
            "social value weighting must be at least 10% of the total marks.",
        ),
        (
            "100000",
            "9.99",
            "This tender is worth £100,000.00, at or above the £100,000.00 threshold, so its "
            "social value weighting must be at least 10% of the total marks.",
        ),
    ],
)
def test_it_refuses_too_low_a_weighting_against_the_weighting_field(
    alice: Client, toms: object, value: str, weighting: str, message: str
) -> None:
    response = alice.post("/tenders/new/", _form(estimated_value=value, sv_weighting=weighting))
    assert response.status_code == 200
    assert response.context["form"].errors["sv_weighting"] == [message]
    html = response.content.decode()
    assert f'<a href="#id_sv_weighting">{message}</a>' in html
    assert 'class="govuk-error-summary"' in html
    assert "govuk-input--error" in html
    assert "<title>Error: Create a tender" in html
    assert not Tender.objects.exists()


def test_it_allows_no_social_value_below_the_threshold(alice: Client, toms: object) -> None:
    response = alice.post("/tenders/new/", _form(estimated_value="99999.99", sv_weighting="0"))
    assert response.status_code == 302
    tender = Tender.objects.get()
    assert tender.sv_weighting == Decimal("0.00")
    assert tender.estimated_value == Decimal("99999.99")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"deadline_date_day": "", "deadline_date_month": "", "deadline_date_year": ""},
         "deadline_date", "Enter the deadline date"),
        ({"deadline_date_month": ""}, "deadline_date", "Deadline date must include a month"),
        ({"deadline_date_day": "31", "deadline_date_month": "2"}, "deadline_date",
         "Deadline date must be a real date"),
        ({"deadline_date_year": "30"}, "deadline_date", "Year must include 4 numbers"),
        ({"deadline_date_year": "2020"}, "deadline_date", "The deadline must be in the future"),
        ({"deadline_time": "25:00"}, "deadline_time",
         "Enter the deadline time as hours and minutes on the 24-hour clock, like 17:30"),
        ({"deadline_time": ""}, "deadline_time", "Enter the deadline time"),
        ({"estimated_value": "lots"}, "estimated_value",
         "Estimated value must be an amount of money, like 250000 or 250,000.00"),
        ({"estimated_value": "0"}, "estimated_value", "Estimated value must be more than £0"),
        ({"estimated_value": "£1,000,000,000,000"}, "estimated_value",
         "Estimated value must be £999,999,999,999.99 or less"),
        ({"estimated_value": "1.005"}, "estimated_value",
         "Estimated value must be in pounds and pence, with at most 2 decimal places"),
        ({"sv_weighting": "101"}, "sv_weighting",
         "Social value weighting must be between 0% and 100%"),
        ({"duration_months": "0"}, "duration_months", "Duration must be between 1 and 600 months"),
        ({"title": ""}, "title", "Enter a title"),
        ({"category": ""}, "category", "Select a category"),
        ({"deliverability_threshold": "6"}, "deliverability_threshold",
         "Deliverability threshold must be a whole number from 0 to 5"),
    ],
)  # fmt: skip
def test_it_explains_bad_input_and_saves_nothing(
    alice: Client, toms: object, fields: dict[str, str], field: str, message: str
) -> None:
    response = alice.post("/tenders/new/", _form(**fields))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Tender.objects.exists()


def test_it_links_a_date_error_to_the_day_input(alice: Client, toms: object) -> None:
    html = alice.post("/tenders/new/", _form(deadline_date_month="")).content.decode()
    assert '<a href="#id_deadline_date">Deadline date must include a month</a>' in html
    assert 'id="id_deadline_date" name="deadline_date_day"' in html


def test_it_keeps_another_organisations_directorates_out(
    alice: Client, toms: object, officer_olga: User
) -> None:
    theirs = DirectorateFactory.create(
        organisation=officer_olga.organisation, name="Blackpool Place Directorate"
    )
    response = alice.post("/tenders/new/", _form(directorate=theirs.pk))
    assert response.context["form"].errors["directorate"] == [
        "Select one of your organisation’s directorates"
    ]
    assert theirs.name not in response.content.decode()
    assert not Tender.objects.exists()


def test_it_refuses_a_service_area_outside_the_directorate(
    alice: Client, toms: object, council: Organisation, officer_alice: User
) -> None:
    adults = DirectorateFactory.create(organisation=council, name="Adult Services")
    response = alice.post(
        "/tenders/new/", _form(directorate=adults.pk, service_area=officer_alice.service_area_id)
    )
    assert response.context["form"].errors["service_area"] == [
        "The service area must be in the directorate you selected"
    ]


def test_it_refuses_a_reference_already_used(alice: Client, make_tender: TenderMaker) -> None:
    make_tender(reference="LCC-2030-001")
    response = alice.post("/tenders/new/", _form())
    assert response.context["form"].errors["reference"] == [
        "Your organisation already has a tender with reference LCC-2030-001"
    ]
    assert Tender.objects.count() == 1


# --- Edit ------------------------------------------------------------------------------------


def test_it_edits_a_draft(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT)
    form = alice.get(f"/tenders/{tender.pk}/edit/").context["form"]
    assert form["reference"].value() == tender.reference
    response = alice.post(
        f"/tenders/{tender.pk}/edit/",
        _form(reference=tender.reference, title="Gritting, renamed", sv_weighting="12.5"),
    )
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.title == "Gritting, renamed"
    assert tender.sv_weighting == Decimal("12.50")
    assert tender.history.first().history_user.email == "alice@lancashire.example"


def test_it_applies_the_rule_when_editing(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT)
    response = alice.post(
        f"/tenders/{tender.pk}/edit/",
        _form(reference=tender.reference, estimated_value="2000000", sv_weighting="2"),
    )
    assert response.context["form"].errors["sv_weighting"] == [
        "This tender is worth £2,000,000.00, at or above the £100,000.00 threshold, so its "
        "social value weighting must be at least 10% of the total marks."
    ]
    tender.refresh_from_db()
    assert tender.sv_weighting == Decimal("10.00")


def test_it_refuses_to_edit_an_open_tender(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN)
    response = alice.post(f"/tenders/{tender.pk}/edit/", _form(reference=tender.reference))
    assert response.status_code == 302
    assert response["Location"] == f"/tenders/{tender.pk}/"
    html = alice.get(response["Location"]).content.decode()
    assert "Only a draft tender can be edited; this one is open." in html
    tender.refresh_from_db()
    assert tender.title == "Highways maintenance framework"


# --- Detail ----------------------------------------------------------------------------------


def test_it_shows_every_parameter_with_the_marks(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(
        status=S.DRAFT, sv_weighting=Decimal("15"), estimated_value=Decimal("1250000")
    )
    html = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "Quantitative 7.5 marks, qualitative 7.5 marks" in html
    assert "15% of the total marks" in html
    assert "50% of the social value marks" in html
    assert "£1,250,000.00" in html
    assert "36 months" in html
    assert "2 – Minor reservations" in html
    assert "Counted value (£)" in html
    assert 'href="/framework/lancashire-toms-2024/"' in html
    assert "43 of 43 measures on the menu" in html
    assert '<strong class="govuk-tag govuk-tag--grey">Draft</strong>' in html
    assert "Open for offers" in html
    assert f'href="/tenders/{tender.pk}/edit/#id_sv_weighting"' in html


def test_it_shows_the_default_marks(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN)
    html = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "Quantitative 5 marks, qualitative 5 marks" in html


def test_it_counts_sealed_offers_without_naming_suppliers(
    alice: Client,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    blackpool: Organisation,
) -> None:
    tender = make_tender(status=S.OPEN)
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    make_bid(tender, carols_care, lines=[("NT4", "1", None)])
    other = Organisation.objects.create(name="Draft Only Ltd", slug="draft-only", kind="supplier")
    make_bid(tender, other, status=Bid.Status.DRAFT)
    html = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "2 offers received; they stay sealed until the deadline." in html
    assert "Bob&#x27;s Building" not in html
    assert "Carol" not in html
    assert "Draft Only" not in html


def test_it_counts_offers_after_the_deadline(
    alice: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-2))
    make_bid(tender, bobs_building)
    html = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "1 offer received." in html


def test_it_groups_the_menu_by_theme(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT)
    response = alice.get(f"/tenders/{tender.pk}/")
    groups = response.context["menu_groups"]
    assert sum(len(measures) for _, measures in groups) == 43
    assert len(groups) == 4
    assert groups[0][1][0].code == "NT1"


def test_it_shows_the_panel(
    alice: Client, make_tender: TenderMaker, panel: Callable[[Tender], object]
) -> None:
    tender = make_tender(status=S.OPEN)
    panel(tender)
    html = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "Erin Evaluator" in html
    assert "Moderator and evaluator" in html
    assert f'href="/tenders/{tender.pk}/panel/"' in html


def test_it_offers_evaluators_no_buttons(
    client_as: ClientAs, evaluator_erin: User, make_tender: TenderMaker
) -> None:
    tender = make_tender(status=S.DRAFT)
    html = client_as(evaluator_erin).get(f"/tenders/{tender.pk}/").content.decode()
    assert "Open for offers" not in html
    assert "Cancel this tender" not in html
    assert "/edit/" not in html
    assert "/menu/" not in html


def test_it_links_only_pages_that_exist(make_tender: TenderMaker) -> None:
    from socialvalue.procurement.tenders.views import tender_links

    tender = make_tender(status=S.DRAFT)
    links = tender_links(tender)
    for _, href in links["itt"] + links["evaluation"]:
        assert href.startswith("/")
    assert links["evaluation"] == []  # a draft has nothing to evaluate


# --- Lifecycle buttons -----------------------------------------------------------------------


def test_it_opens_a_draft_for_offers(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT)
    response = alice.post(f"/tenders/{tender.pk}/open/", follow=True)
    tender.refresh_from_db()
    assert tender.status == S.OPEN
    assert f"Tender {tender.reference} is open for offers until" in response.content.decode()


def test_it_explains_why_a_tender_cannot_open(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT, deadline_in=timedelta(hours=-2))
    response = alice.post(f"/tenders/{tender.pk}/open/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert (
        f'<a href="/tenders/{tender.pk}/edit/#id_deadline_date">'
        "The deadline must be in the future when the tender opens.</a>"
    ) in html
    tender.refresh_from_db()
    assert tender.status == S.DRAFT


def test_it_refuses_to_close_before_the_deadline(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN, deadline_in=timedelta(days=3))
    page = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "Close and unseal offers" not in page
    assert "You can close the tender after the deadline" in page
    response = alice.post(f"/tenders/{tender.pk}/close/")
    assert response.status_code == 200
    local = timezone.localtime(tender.deadline)
    when = f"{local.day} {local:%B %Y} at {local:%H:%M}"
    assert f"The tender cannot close before its deadline, {when}." in response.content.decode()
    tender.refresh_from_db()
    assert tender.status == S.OPEN


def test_it_closes_after_the_deadline(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.OPEN, deadline_in=timedelta(minutes=-1))
    assert "Close and unseal offers" in alice.get(f"/tenders/{tender.pk}/").content.decode()
    response = alice.post(f"/tenders/{tender.pk}/close/")
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.status == S.CLOSED


def test_it_cancels_with_a_reason(
    alice: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=S.OPEN)
    bid = make_bid(tender, bobs_building)
    response = alice.post(f"/tenders/{tender.pk}/cancel/", {"reason": " Budget withdrawn. "})
    assert response.status_code == 302
    tender.refresh_from_db()
    bid.refresh_from_db()
    assert tender.status == S.CANCELLED
    assert tender.cancellation_reason == "Budget withdrawn."
    assert bid.status == Bid.Status.UNSUCCESSFUL
    html = alice.get(f"/tenders/{tender.pk}/").content.decode()
    assert "Budget withdrawn." in html
    assert "Cancel this tender" not in html


def test_it_needs_a_reason_to_cancel(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.DRAFT)
    response = alice.post(f"/tenders/{tender.pk}/cancel/", {"reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_reason">Enter a reason for cancelling the tender</a>' in html
    assert '<details class="govuk-details" open>' in html
    tender.refresh_from_db()
    assert tender.status == S.DRAFT


def test_it_refuses_to_cancel_an_awarded_tender(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=S.AWARDED, deadline_in=timedelta(days=-30))
    response = alice.post(f"/tenders/{tender.pk}/cancel/", {"reason": "Changed our minds."})
    assert "A tender that is awarded cannot be cancelled." in response.content.decode()
    tender.refresh_from_db()
    assert tender.status == S.AWARDED


def test_it_keeps_the_directorate_list_to_the_organisation(
    alice: Client, toms: object, officer_olga: User
) -> None:
    DirectorateFactory.create(organisation=officer_olga.organisation, name="Blackpool Resources")
    ServiceAreaFactory.create(
        directorate=Directorate.objects.get(name="Blackpool Resources"), name="Seafront"
    )
    html = alice.get("/tenders/new/").content.decode()
    assert "Blackpool Resources" not in html
    assert "Seafront" not in html
    assert "Highways (Growth, Environment and Transport)" in html


def test_it_shows_the_weighting_rule_with_other_errors(alice: Client, toms: object) -> None:
    response = alice.post(
        "/tenders/new/", _form(deadline_date_month="", estimated_value="250000", sv_weighting="5")
    )
    errors = response.context["form"].errors
    assert errors["deadline_date"] == ["Deadline date must include a month"]
    assert errors["sv_weighting"] == [
        "This tender is worth £250,000.00, at or above the £100,000.00 threshold, so its "
        "social value weighting must be at least 10% of the total marks."
    ]
    assert not Tender.objects.exists()
