"""The tender and bid API: what each role sees, a supplier's offer end to end, 403 for
staff on supplier endpoints, and 422 errors that name each offending field."""

import json
import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.services import api_token_create
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.services import tender_create
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.offers_support import pass_deadline

ClientAs = Callable[[User | None], Client]
RECEIPT = re.compile(r"^SV-LCC-T-\d{3}-[2-9A-HJKMNP-Z]{5}$")
NOT_SUPPLIER = {"detail": [{"loc": [], "msg": "Only supplier users can do that."}]}

LINE: dict[str, Any] = {
    "activity": "Recruit local people for the depot.",
    "who_delivers": "Our operations manager.",
    "when": "From month 1, quarterly.",
    "partners": "Burnley Jobcentre Plus",
    "evidence": "Payroll extracts each quarter.",
}
OFFER: dict[str, Any] = {
    "price": "1000000.00",
    "commitments": [
        {"measure": "NT1", "quantity": "2.5", "target_district": "Burnley", **LINE},
        {"measure": "NT4", "quantity": 0.5, **LINE, "partners": None},
    ],
}


@pytest.fixture
def tender(make_tender: TenderMaker) -> Tender:
    return make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=7))


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


def post(client: Client, url: str, body: Any = None, **extra: Any) -> Any:
    data = "" if body is None else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def put(client: Client, url: str, body: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


# --- Reading tenders ------------------------------------------------------------------------


def test_it_lists_open_tenders_and_the_suppliers_own_for_a_supplier(
    bob: Client,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    tender: Tender,
    bobs_building: Organisation,
    officer_olga: User,
) -> None:
    make_tender(status=Tender.Status.DRAFT)
    make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    bid_in = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-2))
    make_bid(bid_in, bobs_building)
    response = bob.get("/api/v1/tenders")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [bid_in.pk, tender.pk]
    item = body["items"][1]
    assert item == {
        "id": tender.pk,
        "reference": "LCC-T-001",
        "title": "Highways maintenance framework",
        "buyer": "Lancashire County Council",
        "category": "highways",
        "status": "open",
        "estimated_value": "1000000.00",
        "duration_months": 36,
        "deadline": item["deadline"],
        "framework": "lancashire-toms-2024",
        "sv_weighting": "10.00",
        "quantitative_share": "50.00",
        "quant_basis": "value",
        "deliverability_threshold": 2,
    }


def test_it_lists_the_organisations_tenders_for_staff(
    client_as: ClientAs, officer_alice: User, officer_olga: User, make_tender: TenderMaker
) -> None:
    draft = make_tender(status=Tender.Status.DRAFT)
    tender_create(
        organisation=officer_olga.organisation,  # type: ignore[arg-type]
        created_by=officer_olga,
        reference="BC-1",
        title="Promenade",
        description="Cleaning.",
        category=Tender.Category.FACILITIES,
        estimated_value="250000",
        duration_months=12,
        deadline=draft.deadline,
    )
    body = client_as(officer_alice).get("/api/v1/tenders").json()
    assert [item["reference"] for item in body["items"]] == ["LCC-T-001"]
    olga = client_as(officer_olga).get("/api/v1/tenders").json()
    assert [item["reference"] for item in olga["items"]] == ["BC-1"]


@pytest.mark.parametrize("path", ["/api/v1/tenders", "/api/v1/bids"])
def test_it_pages_lists_and_refuses_out_of_range_paging_with_422(
    bob: Client, make_tender: TenderMaker, path: str
) -> None:
    make_tender(status=Tender.Status.OPEN)
    make_tender(status=Tender.Status.OPEN)
    if path == "/api/v1/tenders":
        page = bob.get(path, {"limit": 1, "offset": 1}).json()
        assert (page["count"], len(page["items"])) == (2, 1)
        assert page["items"][0]["reference"] == "LCC-T-002"
    for query, field in [
        ({"offset": 10**19}, "offset"),
        ({"offset": -1}, "offset"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
    ]:
        response = bob.get(path, query)
        assert response.status_code == 422, query
        assert [e["loc"][-1] for e in response.json()["detail"]] == [field]


def test_it_shows_a_tenders_parameters_and_menu(bob: Client, tender: Tender) -> None:
    response = bob.get(f"/api/v1/tenders/{tender.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["description"].startswith("Reactive and planned highways maintenance")
    assert body["quantitative_marks"] == "5.00"
    assert body["qualitative_marks"] == "5.00"
    assert len(body["menu"]) == 43
    assert body["menu"][:3] == ["NT1", "NT3", "NT3d"]
    assert "NT41" in body["menu"]


def test_it_gives_404_for_tenders_a_caller_cannot_see(
    bob: Client, client_as: ClientAs, officer_olga: User, make_tender: TenderMaker, tender: Tender
) -> None:
    draft = make_tender(status=Tender.Status.DRAFT)
    assert bob.get(f"/api/v1/tenders/{draft.pk}").status_code == 404
    assert bob.get("/api/v1/tenders/999999").status_code == 404
    assert client_as(officer_olga).get(f"/api/v1/tenders/{tender.pk}").status_code == 404


# --- A supplier's offer end to end ----------------------------------------------------------


def test_it_lets_a_supplier_create_submit_change_and_withdraw_an_offer(
    public_dave: Client, supplier_bob: User, tender: Tender
) -> None:
    _token, raw = api_token_create(user=supplier_bob, name="Bid tool")
    auth = {"headers": {"Authorization": f"Bearer {raw}"}}

    created = post(public_dave, f"/api/v1/tenders/{tender.pk}/bids", OFFER, **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["supplier"] == "Bob's Building Ltd"
    assert body["price"] == "1000000.00"
    assert body["receipt_reference"] is None
    # 2.5 × 31,285.00 = 78,212.50; 0.5 × 15,382.90 = 7,691.45; total 85,903.95
    assert body["total_value"] == "85903.95"
    assert body["sv_add_percent"] == "8.59"  # 85,903.95 / 1,000,000 × 100 = 8.590395
    assert body["by_theme"] == [{"theme": "Employment and skills", "value": "85903.95"}]
    assert body["commitments"][0] == {
        "measure": "NT1",
        "quantity": "2.5",
        "target_district": "E07000117",
        "proxy_value": "31285.00",
        "value": "78212.50",
        **LINE,
    }
    assert body["commitments"][1]["partners"] == ""
    bid_id = body["id"]

    submitted = post(public_dave, f"/api/v1/bids/{bid_id}/submit", **auth)
    assert submitted.status_code == 200, submitted.content
    receipt = submitted.json()["receipt_reference"]
    assert RECEIPT.match(receipt)
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None
    assert len(mail.outbox) == 1
    assert receipt in mail.outbox[0].subject

    listing = public_dave.get("/api/v1/bids", headers={"Authorization": f"Bearer {raw}"}).json()
    assert [
        (item["id"], item["status"], item["receipt_reference"]) for item in listing["items"]
    ] == [(bid_id, "submitted", receipt)]

    changed = {**OFFER, "commitments": OFFER["commitments"][:1]}
    replaced = post(public_dave, f"/api/v1/tenders/{tender.pk}/bids", changed, **auth)
    assert replaced.status_code == 200
    assert replaced.json()["id"] == bid_id
    assert replaced.json()["status"] == "submitted"
    assert replaced.json()["total_value"] == "78212.50"

    changed_again = {**OFFER, "price": "2000000"}
    updated = put(Client(), f"/api/v1/bids/{bid_id}", changed_again)  # no credentials
    assert updated.status_code == 401
    response = public_dave.put(
        f"/api/v1/bids/{bid_id}",
        json.dumps(changed_again),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert response.json()["sv_add_percent"] == "4.30"  # 85,903.95 / 2,000,000 = 4.2951975%

    again = post(public_dave, f"/api/v1/bids/{bid_id}/submit", **auth).json()
    assert again["receipt_reference"] != receipt

    withdrawn = post(public_dave, f"/api/v1/bids/{bid_id}/withdraw", **auth)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawn_at"] is not None
    reopened = post(public_dave, f"/api/v1/bids/{bid_id}/reopen", **auth)
    assert reopened.json()["status"] == "draft"
    assert Bid.objects.filter(tender=tender).count() == 1


def test_it_lets_a_draft_have_no_price_and_no_commitments(bob: Client, tender: Tender) -> None:
    response = post(bob, f"/api/v1/tenders/{tender.pk}/bids", {"commitments": []})
    assert response.status_code == 201
    assert response.json()["price"] is None
    assert response.json()["total_value"] == "0.00"
    assert response.json()["sv_add_percent"] is None


def test_it_names_what_stops_a_submission(bob: Client, tender: Tender) -> None:
    bid_id = post(bob, f"/api/v1/tenders/{tender.pk}/bids", {"commitments": []}).json()["id"]
    response = post(bob, f"/api/v1/bids/{bid_id}/submit")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"loc": ["bid", "price"], "msg": "Enter your bid price.", "type": "incomplete"},
            {
                "loc": ["bid", "commitments"],
                "msg": "Add at least one commitment to your offer.",
                "type": "incomplete",
            },
        ]
    }
    assert Bid.objects.get(pk=bid_id).status == Bid.Status.DRAFT


def test_it_refuses_changes_after_the_deadline_with_409(bob: Client, tender: Tender) -> None:
    bid_id = post(bob, f"/api/v1/tenders/{tender.pk}/bids", OFFER).json()["id"]
    pass_deadline(tender)
    for response in [
        post(bob, f"/api/v1/bids/{bid_id}/submit"),
        put(bob, f"/api/v1/bids/{bid_id}", OFFER),
        post(bob, f"/api/v1/tenders/{tender.pk}/bids", OFFER),
        post(bob, f"/api/v1/bids/{bid_id}/withdraw"),
    ]:
        assert response.status_code == 409
        [error] = response.json()["detail"]
        assert error["loc"] == []
        assert "has passed, so this offer can no longer be changed." in error["msg"]
    assert Bid.objects.get(pk=bid_id).status == Bid.Status.DRAFT


def test_it_refuses_to_start_an_offer_in_a_closed_tender_with_409(
    bob: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    closed = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(closed, bobs_building)  # visible to Bob because he bid in it
    response = post(bob, f"/api/v1/tenders/{closed.pk}/bids", OFFER)
    assert response.status_code == 409


# --- Staff and other suppliers --------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "lead_lucy"])
def test_it_refuses_staff_the_supplier_endpoints(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    tender: Tender,
    make_bid: BidMaker,
    bobs_building: Organisation,
) -> None:
    bid = make_bid(tender, bobs_building, status=Bid.Status.DRAFT)
    client = client_as(request.getfixturevalue(who))
    for response in [
        post(client, f"/api/v1/tenders/{tender.pk}/bids", OFFER),
        put(client, f"/api/v1/bids/{bid.pk}", OFFER),
        post(client, f"/api/v1/bids/{bid.pk}/submit"),
        post(client, f"/api/v1/bids/{bid.pk}/withdraw"),
        post(client, f"/api/v1/bids/{bid.pk}/reopen"),
    ]:
        assert response.status_code == 403
        assert response.json() == NOT_SUPPLIER
    assert Bid.objects.count() == 1
    assert not Bid.objects.get().commitments.exists()


def test_it_keeps_one_offer_per_supplier(
    bob: Client, client_as: ClientAs, supplier_carol: User, tender: Tender
) -> None:
    bob_bid = post(bob, f"/api/v1/tenders/{tender.pk}/bids", OFFER).json()["id"]
    carol = post(client_as(supplier_carol), f"/api/v1/tenders/{tender.pk}/bids", OFFER)
    assert carol.status_code == 201
    assert carol.json()["id"] != bob_bid
    assert carol.json()["supplier"] == "Carol's Care CIC"


# --- Errors ---------------------------------------------------------------------------------


def test_it_names_every_offending_field_with_422_and_saves_nothing(
    bob: Client, tender: Tender
) -> None:
    body = {
        "price": "lots",
        "commitments": [
            {"measure": "NT1", "quantity": "2.5", **LINE},
            {"measure": "NT999", "quantity": "-1", **LINE, "activity": "  "},
            {"measure": "NT4", "quantity": "2.1234567", **LINE, "when": 5, "evidence": None},
            {"measure": 7, "quantity": "1e999", **LINE, "target_district": "Manchester"},
            "NT1",
        ],
    }
    response = post(bob, f"/api/v1/tenders/{tender.pk}/bids", body)
    assert response.status_code == 422
    errors = [(e["loc"], e["msg"]) for e in response.json()["detail"]]
    assert errors == [
        (["body", "price"], 'Price must be an amount in pounds, such as "1250000.00".'),
        (
            ["body", "commitments", 1, "measure"],
            "Unknown measure code 'NT999' in lancashire-toms-2024.",
        ),
        (["body", "commitments", 1, "quantity"], "Quantity must be more than 0."),
        (["body", "commitments", 1, "activity"], "Activity (what you will do) is required."),
        (["body", "commitments", 2, "quantity"], "Quantity must have at most 6 decimal places."),
        (["body", "commitments", 2, "when"], "When must be text."),
        (["body", "commitments", 2, "evidence"], "Evidence to be provided is required."),
        (
            ["body", "commitments", 3, "measure"],
            "Measure must be a measure code such as 'NT1', as a string.",
        ),
        (
            ["body", "commitments", 3, "quantity"],
            "Quantity must be 999,999,999.999999 or less.",
        ),
        (
            ["body", "commitments", 3, "target_district"],
            "Target district must be a Lancashire district code or name (such as 'E07000117' "
            "or 'Burnley'), 'outside', or null.",
        ),
        (
            ["body", "commitments", 4],
            "Each commitment must be an object with measure, quantity, activity, who_delivers, "
            "when and evidence (target_district and partners are optional).",
        ),
    ]
    assert not Bid.objects.exists()


def test_it_refuses_a_measure_that_is_not_on_the_menu(
    bob: Client, make_tender: TenderMaker
) -> None:
    tender = make_tender(menu=list(Measure.objects.filter(code="NT1")))
    response = post(bob, f"/api/v1/tenders/{tender.pk}/bids", OFFER)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "commitments", 1, "measure"],
            "msg": "NT4 is not on this tender's menu.",
            "type": "not_on_menu",
        }
    ]


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        (b"{not json", 400, ["body"]),
        (b"[]", 422, ["body"]),
        (b'"text"', 422, ["body"]),
        (b"{}", 422, ["body", "commitments"]),
        (b'{"commitments": {}}', 422, ["body", "commitments"]),
        (b'{"commitments": [], "price": "0"}', 422, ["body", "price"]),
        (b'{"commitments": [], "price": "NaN"}', 422, ["body", "price"]),
        (b'{"commitments": [], "price": "0.001"}', 422, ["body", "price"]),
        (b'{"commitments": [], "price": 1e12}', 422, ["body", "price"]),
    ],
)
def test_it_answers_bad_documents_with_json_errors(
    bob: Client, tender: Tender, body: bytes, status: int, loc: list[Any]
) -> None:
    response = bob.post(f"/api/v1/tenders/{tender.pk}/bids", body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["detail"][0]["loc"] == loc
    assert response.json()["detail"][0]["msg"]
    assert not Bid.objects.exists()


def test_it_keeps_the_largest_price_and_quantity_and_refuses_more_naming_the_limit(
    bob: Client, tender: Tender
) -> None:
    url = f"/api/v1/tenders/{tender.pk}/bids"
    line = {"measure": "NT18", "quantity": "1000000000", **LINE}
    refused = post(bob, url, {"price": "1000000000000", "commitments": [line]})
    assert refused.status_code == 422
    assert [(item["loc"], item["msg"]) for item in refused.json()["detail"]] == [
        (["body", "price"], "Price must be £999,999,999,999.99 or less."),
        (["body", "commitments", 0, "quantity"], "Quantity must be 999,999,999.999999 or less."),
    ]
    assert not Bid.objects.exists()

    line["quantity"] = "999999999.999999"
    created = post(bob, url, {"price": "999999999999.99", "commitments": [line]})
    assert created.status_code == 201, created.content
    assert created.json()["price"] == "999999999999.99"
    assert created.json()["commitments"][0]["quantity"] == "999999999.999999"
    bid = Bid.objects.get()
    assert bid.price == Decimal("999999999999.99")
    assert bid.commitments.get().quantity == Decimal("999999999.999999")


def test_it_refuses_more_than_100_commitments(bob: Client, tender: Tender) -> None:
    line = {"measure": "NT1", "quantity": "1", **LINE}
    response = post(bob, f"/api/v1/tenders/{tender.pk}/bids", {"commitments": [line] * 101})
    assert response.status_code == 422
    assert (
        response.json()["detail"][0]["msg"] == "Send at most 100 commitments; this offer has 101."
    )


def test_it_refuses_text_with_nul_characters(bob: Client, tender: Tender) -> None:
    line = {"measure": "NT1", "quantity": "1", **LINE, "activity": "a\x00b"}
    response = post(bob, f"/api/v1/tenders/{tender.pk}/bids", {"commitments": [line]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "commitments", 0, "activity"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["NT1", "NT4", "NT41", "Burnley", "-1", "1e999", "NaN", "0.1", "\x00"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["measure", "quantity", "when", "x"]), children, max_size=3
        )
    ),
    max_leaves=8,
)
commitment = st.fixed_dictionaries(
    {},
    optional={
        "measure": json_values,
        "quantity": json_values,
        "target_district": json_values,
        "activity": json_values,
        "who_delivers": json_values,
        "when": json_values,
        "partners": json_values,
        "evidence": json_values,
    },
)
offer_bodies = st.fixed_dictionaries(
    {},
    optional={"price": json_values, "commitments": st.lists(commitment, max_size=3) | json_values},
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=offer_bodies)
def test_it_never_fails_on_any_offer_document(bob: Client, tender: Tender, body: Any) -> None:
    response = post(bob, f"/api/v1/tenders/{tender.pk}/bids", body)
    assert response.status_code in (200, 201, 400, 422), response.content[:300]
    assert response["Content-Type"].startswith("application/json")


def test_it_describes_the_tender_and_bid_endpoints_in_the_openapi_document(
    public_dave: Client,
) -> None:
    paths = public_dave.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/tenders"]) == {"get"}
    assert set(paths["/api/v1/tenders/{tender_id}"]) == {"get"}
    assert set(paths["/api/v1/bids"]) == {"get"}
    assert set(paths["/api/v1/bids/{bid_id}"]) == {"get", "put"}
    assert set(paths["/api/v1/tenders/{tender_id}/bids"]) == {"post"}
    for action in ("submit", "withdraw", "reopen"):
        assert set(paths[f"/api/v1/bids/{{bid_id}}/{action}"]) == {"post"}
    body = paths["/api/v1/tenders/{tender_id}/bids"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["properties"]["commitments"]["items"]["required"] == [
        "measure",
        "quantity",
        "activity",
        "who_delivers",
        "when",
        "evidence",
    ]
