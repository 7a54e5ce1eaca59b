"""POST /api/v1/score: the scoring engine as a stateless JSON endpoint.

Proxy values are those of the shipped Lancashire TOMs: NT1 £31,285.00 per FTE, NT18 £1.00
per £ spent, NT29 £1.00 per volunteering hour, NT41 no proxy.
"""

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.framework.models import FrameworkVersion

URL = "/api/v1/score"
FRAMEWORK = "lancashire-toms-2024"


def post(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def line(measure: str, quantity: Any, quality_score: Any = None) -> dict[str, Any]:
    return {"measure": measure, "quantity": quantity, "quality_score": quality_score}


# Acme: NT1 2 FTE = 62,570 (q 4) + NT18 £50,000 (q 3) → offered = counted = 112,570, mean q 3.5.
# Bolt: NT1 1 FTE = 31,285 (q 5) + NT18 £100,000 (q 1: excluded) → offered 131,285, counted
#       31,285, mean q 3.
# Cobb: NT29 30,000 hours = 30,000 (q 2) + NT41 100% (no proxy: 0, q 5) → 30,000, mean q 3.5.
THREE_BIDS: list[dict[str, Any]] = [
    {
        "bidder": "Acme Ltd",
        "price": "1000000.00",
        "commitments": [line("NT1", "2", 4), line("NT18", 50000, 3)],
    },
    {
        "bidder": "Bolt plc",
        "price": 800000,
        "commitments": [line("NT1", "1", 5), line("NT18", "100000", 1)],
    },
    {
        "bidder": "Cobb CIC",
        "price": "200000",
        "commitments": [line("NT29", "30000", 2), line("NT41", "100", 5)],
    },
]


def body_with(bids: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"framework": FRAMEWORK, "bids": THREE_BIDS if bids is None else bids, **extra}


def one_bid(*commitments: dict[str, Any], price: Any = "100000") -> list[dict[str, Any]]:
    return [{"bidder": "Acme Ltd", "price": price, "commitments": list(commitments)}]


def test_it_scores_bids_on_counted_value(toms: FrameworkVersion, public_dave: Client):
    response = post(
        public_dave,
        body_with(
            sv_weighting="10",
            quantitative_share="50",
            quant_basis="value",
            deliverability_threshold=2,
        ),
    )

    # Q = 10 × 50 / 100 = 5, L = 5. Quantitative 5 × V / 112,570: Acme 5; Bolt 1.3896 → 1.39;
    # Cobb 1.3325 → 1.33. Qualitative 5 × mean q / 5: 3.5, 3, 3.5. Totals 8.50, 4.39, 4.83.
    # SV Add: 112,570 / 1,000,000 = 11.257%; 31,285 / 800,000 = 3.910625%; 30,000 / 200,000.
    assert response.status_code == 200
    assert response.json() == {
        "bids": [
            {
                "bidder": "Acme Ltd",
                "offered_value": "112570.00",
                "counted_value": "112570.00",
                "sv_add_percent": "11.26",
                "quantitative_score": "5.00",
                "qualitative_score": "3.50",
                "total_score": "8.50",
                "rank": 1,
                "excluded": [],
                "flags": [],
            },
            {
                "bidder": "Bolt plc",
                "offered_value": "131285.00",
                "counted_value": "31285.00",
                "sv_add_percent": "3.91",
                "quantitative_score": "1.39",
                "qualitative_score": "3.00",
                "total_score": "4.39",
                "rank": 3,
                "excluded": [
                    {
                        "index": 1,
                        "measure": "NT18",
                        "quality_score": 1,
                        "value": "100000.00",
                        "reason": "Quality score 1 is below the deliverability threshold of 2",
                    }
                ],
                "flags": [],
            },
            {
                "bidder": "Cobb CIC",
                "offered_value": "30000.00",
                "counted_value": "30000.00",
                "sv_add_percent": "15.00",
                "quantitative_score": "1.33",
                "qualitative_score": "3.50",
                "total_score": "4.83",
                "rank": 2,
                "excluded": [],
                "flags": [],
            },
        ]
    }


def test_it_uses_the_defaults_when_parameters_are_left_out(
    toms: FrameworkVersion, public_dave: Client
):
    explicit = post(
        public_dave,
        body_with(
            sv_weighting=10, quantitative_share=50, quant_basis="value", deliverability_threshold=2
        ),
    )

    response = post(public_dave, {"bids": THREE_BIDS})
    nulls = post(
        public_dave,
        body_with(
            sv_weighting=None,
            quantitative_share=None,
            quant_basis=None,
            deliverability_threshold=None,
            menu=None,
        ),
    )

    assert response.status_code == 200
    assert response.json() == explicit.json() == nulls.json()


def test_it_scores_bids_on_sv_add(toms: FrameworkVersion, public_dave: Client):
    response = post(
        public_dave,
        body_with(sv_weighting="20", quantitative_share="60", quant_basis="sv_add"),
    )

    # Q = 20 × 60 / 100 = 12, L = 8. Metrics V / price: Acme 0.11257, Bolt 0.03910625,
    # Cobb 0.15 (best). Quantitative: Acme 12 × 0.11257 / 0.15 = 9.0056; Bolt 12 × 0.03910625
    # / 0.15 = 3.1285; Cobb 12. Qualitative 8 × mean q / 5: 5.6, 4.8, 5.6.
    # Totals: 14.6056 → 14.61; 7.9285 → 7.93; 17.6.
    bids = response.json()["bids"]
    assert [
        (b["bidder"], b["quantitative_score"], b["qualitative_score"], b["total_score"], b["rank"])
        for b in bids
    ] == [
        ("Acme Ltd", "9.01", "5.60", "14.61", 2),
        ("Bolt plc", "3.13", "4.80", "7.93", 3),
        ("Cobb CIC", "12.00", "5.60", "17.60", 1),
    ]


def test_it_lists_a_missing_response_as_excluded(toms: FrameworkVersion, public_dave: Client):
    # NT18 £2,000 with no quality score at all: scored 0, below d = 2. NT29 100 hours q 4.
    response = post(
        public_dave,
        body_with(one_bid({"measure": "NT18", "quantity": "2000"}, line("NT29", "100", 4))),
    )

    [acme] = response.json()["bids"]
    assert acme["excluded"] == [
        {
            "index": 0,
            "measure": "NT18",
            "quality_score": None,
            "value": "2000.00",
            "reason": (
                "No qualitative response (scored 0), below the deliverability threshold of 2"
            ),
        }
    ]
    # Counted 100; quantitative 5 (the only bid); qualitative 5 × (0 + 4) / 2 / 5 = 2.
    assert (acme["offered_value"], acme["counted_value"]) == ("2100.00", "100.00")
    assert (acme["quantitative_score"], acme["qualitative_score"]) == ("5.00", "2.00")


def test_it_shares_ranks_between_totals_equal_to_two_places(
    toms: FrameworkVersion, public_dave: Client
):
    # W = 100, s = 100: total = 100 × V / 100,000 (V in £ of NT18, all counted with d = 0).
    # 40,004 → 40.004 and 39,995 → 39.995 both show 40.00 (half-up); 40,000 → 40.00.
    bids = [
        {"bidder": f"Bidder {v}", "price": "1000000", "commitments": [line("NT18", v)]}
        for v in ["39995", "100000", "40004", "40000", "12345"]
    ]

    response = post(
        public_dave,
        body_with(
            bids,
            sv_weighting=100,
            quantitative_share=100,
            deliverability_threshold=0,
        ),
    )

    data = response.json()["bids"]
    assert [b["total_score"] for b in data] == ["40.00", "100.00", "40.00", "40.00", "12.35"]
    assert [b["rank"] for b in data] == [2, 1, 2, 2, 5]


def test_it_flags_implausible_offers_and_measures_off_the_menu(
    toms: FrameworkVersion, public_dave: Client
):
    # NT1 30 FTE × £20,000 = £600,000 > the £500,000 price; counted 30 × 31,285 = 938,550
    # is 187.71% of the price. NT29 is not on the menu.
    response = post(
        public_dave,
        body_with(
            one_bid(line("NT1", "30", 3), line("NT29", "10", 3), price="500000"),
            menu=["NT1", "NT18"],
        ),
    )

    [acme] = response.json()["bids"]
    assert acme["flags"] == [
        "SV Add of 187.71% is over 100% of the bid price",
        "NT1: 30 FTE would cost more than the £500,000.00 contract value",
        "NT29 is not on this tender's menu of measures",
    ]
    assert acme["total_score"] == "8.00"  # 5 + 5 × 3 / 5: flags never change a score


def test_it_scores_a_bid_without_commitments_at_zero(toms: FrameworkVersion, public_dave: Client):
    response = post(
        public_dave, body_with([{"bidder": "Acme Ltd", "price": "1000", "commitments": []}])
    )

    [acme] = response.json()["bids"]
    assert acme == {
        "bidder": "Acme Ltd",
        "offered_value": "0.00",
        "counted_value": "0.00",
        "sv_add_percent": "0.00",
        "quantitative_score": "0.00",
        "qualitative_score": "0.00",
        "total_score": "0.00",
        "rank": 1,
        "excluded": [],
        "flags": [],
    }


def test_it_keeps_number_quantities_exact(toms: FrameworkVersion, public_dave: Client):
    # 0.1 as a JSON number must not become 0.1000000000000000055511151231257827.
    response = post(
        public_dave,
        '{"bids": [{"bidder": "Acme", "price": 0.3, "commitments": '
        '[{"measure": "NT18", "quantity": 0.1, "quality_score": 3}]}]}',
    )

    # 0.1 / 0.3 × 100 = 33.333…%
    assert response.json()["bids"][0]["counted_value"] == "0.10"
    assert response.json()["bids"][0]["sv_add_percent"] == "33.33"


def test_it_accepts_500_bids_of_100_commitments(toms: FrameworkVersion, public_dave: Client):
    bids = [
        {
            "bidder": f"B{n}",
            "price": n + 1,
            "commitments": [{"measure": "NT18", "quantity": 1, "quality_score": 3}] * 100,
        }
        for n in range(500)
    ]
    # Written compactly, as a program would send it.
    body = json.dumps({"bids": bids}, separators=(",", ":"))

    response = post(public_dave, body)

    assert response.status_code == 200
    data = response.json()["bids"]
    assert len(data) == 500
    # Every bid counts £100 and has mean q 3: all quantitative 5 and qualitative 3.
    assert {b["total_score"] for b in data} == {"8.00"}
    assert {b["rank"] for b in data} == {1}


def test_it_answers_a_signed_in_caller_without_a_csrf_token(
    toms: FrameworkVersion, supplier_bob: Any
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supplier_bob)

    response = post(client, body_with())

    assert response.status_code == 200


# --- Refusals -------------------------------------------------------------------------------


def assert_error(response: Any, loc: list[Any], msg: str | None = None) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    matching = [item for item in detail if item["loc"] == loc]
    assert matching, detail
    if msg is not None:
        assert matching[0]["msg"] == msg
    return matching[0]


WEIGHTING_RANGE = "Social value weighting must be from 0 to 100 (% of the tender's total marks)."
SHARE_RANGE = "Quantitative share must be from 0 to 100 (% of the social value marks)."


@pytest.mark.parametrize(
    ("value", "msg"),
    [
        ("100.01", WEIGHTING_RANGE),
        (101, WEIGHTING_RANGE),
        ("-1", WEIGHTING_RANGE),
        ("1e20", WEIGHTING_RANGE),
        ("ten", 'Social value weighting must be a number from 0 to 100, such as 10 or "12.5".'),
        (True, 'Social value weighting must be a number from 0 to 100, such as 10 or "12.5".'),
        ("NaN", "Social value weighting must be a finite number from 0 to 100."),
        ("12.345", "Social value weighting must have at most 2 decimal places."),
    ],
)
def test_it_refuses_a_weighting_outside_0_to_100(
    toms: FrameworkVersion, public_dave: Client, value: Any, msg: str
):
    response = post(public_dave, body_with(sv_weighting=value))

    assert_error(response, ["body", "sv_weighting"], msg)


@pytest.mark.parametrize("value", ["100.5", -0.01, 250])
def test_it_refuses_a_quantitative_share_outside_0_to_100(
    toms: FrameworkVersion, public_dave: Client, value: Any
):
    response = post(public_dave, body_with(quantitative_share=value))

    assert_error(response, ["body", "quantitative_share"], SHARE_RANGE)


def test_it_accepts_the_limits_0_and_100(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(sv_weighting="100", quantitative_share="0"))

    # Q = 0, L = 100: Acme 100 × 3.5 / 5 = 70.
    assert response.status_code == 200
    assert response.json()["bids"][0]["total_score"] == "70.00"


@pytest.mark.parametrize("value", ["price", "VALUE", 1, ["value"]])
def test_it_refuses_an_unknown_basis(toms: FrameworkVersion, public_dave: Client, value: Any):
    response = post(public_dave, body_with(quant_basis=value))

    assert_error(
        response, ["body", "quant_basis"], "Quantitative basis must be 'value' or 'sv_add'."
    )


@pytest.mark.parametrize("value", [6, -1, 2.5, "two", True, "1e999", [2]])
def test_it_refuses_a_threshold_outside_the_profile(
    toms: FrameworkVersion, public_dave: Client, value: Any
):
    response = post(public_dave, body_with(deliverability_threshold=value))

    assert_error(
        response,
        ["body", "deliverability_threshold"],
        "Deliverability threshold must be a whole number from 0 to 5.",
    )


@pytest.mark.parametrize("value", [0, 5, "3", 3.0])
def test_it_accepts_whole_number_thresholds(
    toms: FrameworkVersion, public_dave: Client, value: Any
):
    response = post(public_dave, body_with(deliverability_threshold=value))

    assert response.status_code == 200


@pytest.mark.parametrize("score", [6, -1, 2.5, "high", True, {"score": 3}])
def test_it_refuses_a_quality_score_outside_the_profile(
    toms: FrameworkVersion, public_dave: Client, score: Any
):
    response = post(public_dave, body_with(one_bid(line("NT1", "1", 3), line("NT18", "1", score))))

    assert_error(
        response,
        ["body", "bids", 0, "commitments", 1, "quality_score"],
        "Quality score must be a whole number from 0 to 5, or null for no qualitative response.",
    )


@pytest.mark.parametrize(
    ("price", "msg"),
    [
        ("0", "Price must be more than 0."),
        (0, "Price must be more than 0."),
        ("-100", "Price must be more than 0."),
        ("lots", 'Price must be an amount in pounds, such as 1250000 or "1250000.00".'),
        ("Infinity", "Price must be a finite amount; NaN and Infinity are not amounts."),
        ("100.001", "Price must be in pounds and pence, with at most 2 decimal places."),
        (None, 'Price is required: the bid price in pounds, such as "1250000.00".'),
    ],
)
def test_it_refuses_a_price_that_is_not_positive(
    toms: FrameworkVersion, public_dave: Client, price: Any, msg: str
):
    bids = [*THREE_BIDS[:1], {**THREE_BIDS[1], "price": price}]

    response = post(public_dave, body_with(bids))

    assert_error(response, ["body", "bids", 1, "price"], msg)


def test_it_names_an_unknown_measure_code(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(one_bid(line("NT1", "1", 3), line("NT999", "1", 3))))

    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "bids", 0, "commitments", 1, "measure"],
                "msg": "Unknown measure code 'NT999' in lancashire-toms-2024.",
                "type": "unknown_measure",
            }
        ]
    }
    assert response.status_code == 422


def test_it_names_every_offending_bid_and_line(toms: FrameworkVersion, public_dave: Client):
    bids = [
        {"bidder": "Acme Ltd", "price": "0", "commitments": [line("XX", "-1", 9)]},
        {"bidder": "Bolt plc", "price": "100", "commitments": [line("NT1", "1", 3)]},
        {"bidder": "", "price": "100", "commitments": [7, line("NT1", "abc")]},
        "not a bid",
    ]

    response = post(public_dave, body_with(bids, sv_weighting="200"))

    assert [item["loc"] for item in response.json()["detail"]] == [
        ["body", "sv_weighting"],
        ["body", "bids", 0, "price"],
        ["body", "bids", 0, "commitments", 0, "measure"],
        ["body", "bids", 0, "commitments", 0, "quantity"],
        ["body", "bids", 0, "commitments", 0, "quality_score"],
        ["body", "bids", 2, "bidder"],
        ["body", "bids", 2, "commitments", 0],
        ["body", "bids", 2, "commitments", 1, "quantity"],
        ["body", "bids", 3],
    ]


@pytest.mark.parametrize(
    ("bidder", "msg"),
    [
        ("", "Bidder must not be empty."),
        ("   ", "Bidder must not be empty."),
        (None, "Bidder is required: the name of the bidding organisation."),
        (42, "Bidder must be the name of the bidding organisation, as a string."),
        ("x" * 201, "Bidder must be at most 200 characters."),
    ],
)
def test_it_refuses_a_bid_without_a_bidder_name(
    toms: FrameworkVersion, public_dave: Client, bidder: Any, msg: str
):
    response = post(public_dave, body_with([{"bidder": bidder, "price": "100", "commitments": []}]))

    assert_error(response, ["body", "bids", 0, "bidder"], msg)


def test_it_refuses_the_same_bidder_twice(toms: FrameworkVersion, public_dave: Client):
    bids = [
        {"bidder": "Acme Ltd", "price": "100", "commitments": []},
        {"bidder": "Bolt plc", "price": "100", "commitments": []},
        {"bidder": "  acme   LTD ", "price": "200", "commitments": []},
    ]

    response = post(public_dave, body_with(bids))

    assert response.json()["detail"] == [
        {
            "loc": ["body", "bids", 2, "bidder"],
            "msg": "Bidder 'acme   LTD' appears more than once; give each bid a different "
            "bidder name.",
            "type": "duplicate",
        }
    ]


@pytest.mark.parametrize(
    ("bids", "msg"),
    [
        ([], "Send at least one bid."),
        (
            {"bidder": "Acme Ltd"},
            'Bids must be a list of {"bidder", "price", "commitments"} objects.',
        ),
        (
            None,
            'Bids are required: a list of 1 to 500 {"bidder", "price", "commitments"} objects.',
        ),
    ],
)
def test_it_needs_a_list_of_at_least_one_bid(
    toms: FrameworkVersion, public_dave: Client, bids: Any, msg: str
):
    response = post(public_dave, {"framework": FRAMEWORK, "bids": bids})

    assert_error(response, ["body", "bids"], msg)


def test_it_needs_the_bids_field(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, {"framework": FRAMEWORK, "sv_weighting": "10"})

    assert_error(response, ["body", "bids"])


def test_it_refuses_more_than_500_bids(toms: FrameworkVersion, public_dave: Client):
    bids = [{"bidder": f"B{n}", "price": "1", "commitments": []} for n in range(501)]

    response = post(public_dave, body_with(bids))

    assert_error(
        response, ["body", "bids"], "Send at most 500 bids per request; this request has 501."
    )


def test_it_refuses_more_than_100_commitments_in_a_bid(toms: FrameworkVersion, public_dave: Client):
    bids = [
        {"bidder": "Acme Ltd", "price": "1", "commitments": [line("NT18", "1", 3)] * 100},
        {"bidder": "Bolt plc", "price": "1", "commitments": [line("NT18", "1", 3)] * 101},
    ]

    response = post(public_dave, body_with(bids))

    assert response.json()["detail"] == [
        {
            "loc": ["body", "bids", 1, "commitments"],
            "msg": "Send at most 100 commitments per bid; this bid has 101.",
            "type": "value_error",
        }
    ]


@pytest.mark.parametrize("commitments", [None, "NT1", {"measure": "NT1"}])
def test_it_needs_a_list_of_commitments_in_each_bid(
    toms: FrameworkVersion, public_dave: Client, commitments: Any
):
    response = post(
        public_dave,
        body_with([{"bidder": "Acme Ltd", "price": "1", "commitments": commitments}]),
    )

    assert_error(response, ["body", "bids", 0, "commitments"])


def test_it_refuses_a_line_without_measure_or_quantity(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(one_bid({"quantity": "1"}, {"measure": "NT1"})))

    assert_error(
        response,
        ["body", "bids", 0, "commitments", 0, "measure"],
        "Measure is required: a measure code such as 'NT1'.",
    )
    assert_error(
        response,
        ["body", "bids", 0, "commitments", 1, "quantity"],
        'Quantity is required: a number of 0 or more, such as 2.5 or "2.5".',
    )


@pytest.mark.parametrize(
    ("menu", "loc", "msg"),
    [
        (
            ["NT1", "NT999"],
            ["body", "menu", 1],
            "Unknown measure code 'NT999' in lancashire-toms-2024.",
        ),
        (
            [],
            ["body", "menu"],
            "Menu must list at least one measure, or be left out for the whole framework.",
        ),
        (
            "NT1",
            ["body", "menu"],
            "Menu must be a list of measure codes such as 'NT1', or left out.",
        ),
        ([1], ["body", "menu", 0], "Measure must be a measure code such as 'NT1', as a string."),
    ],
)
def test_it_refuses_a_menu_that_is_not_a_list_of_known_codes(
    toms: FrameworkVersion, public_dave: Client, menu: Any, loc: list[Any], msg: str
):
    response = post(public_dave, body_with(menu=menu))

    assert_error(response, loc, msg)


@pytest.mark.parametrize("framework", ["no-such-framework", 5])
def test_it_refuses_an_unknown_framework(
    toms: FrameworkVersion, public_dave: Client, framework: Any
):
    response = post(public_dave, body_with(framework=framework))

    assert_error(response, ["body", "framework"])


def test_it_refuses_a_draft_framework(toms: FrameworkVersion, public_dave: Client):
    FrameworkVersion.objects.create(
        framework=toms.framework, slug="lancashire-toms-draft", name="Draft", label="draft"
    )

    response = post(public_dave, body_with(framework="lancashire-toms-draft"))

    assert_error(
        response,
        ["body", "framework"],
        "There is no published framework version 'lancashire-toms-draft'. "
        "Versions you can use: lancashire-toms-2024.",
    )


def test_it_explains_when_no_framework_is_published(db: None, public_dave: Client):
    response = post(public_dave, {"bids": THREE_BIDS})

    assert_error(response, ["body", "framework"], "No framework version has been published yet.")


@pytest.mark.parametrize("body", ['{"bids": [', "not json", "", "\xff\xfe", "[" * 100_000])
def test_it_answers_malformed_json_with_a_json_400(
    toms: FrameworkVersion, public_dave: Client, body: str
):
    response = post(public_dave, body)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    [item] = response.json()["detail"]
    assert item["loc"] == ["body"]
    assert item["msg"].startswith("The request body is not valid JSON")


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null"])
def test_it_refuses_a_body_that_is_not_an_object(
    toms: FrameworkVersion, public_dave: Client, body: str
):
    response = post(public_dave, body)

    assert_error(response, ["body"], "The request body must be a JSON object with a 'bids' list.")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_it_refuses_an_oversized_body_with_json(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(one_bid(*[line("NT18", "1", 3)] * 50)))

    assert response.status_code == 400
    assert response.json()["detail"] == [
        {
            "loc": ["body"],
            "msg": "The request body is too large: the limit is 1,000 bytes. Send fewer bids, "
            "or fewer commitments per bid, in each request.",
            "type": "value_error",
        }
    ]


def test_it_documents_the_endpoint_in_openapi(toms: FrameworkVersion, public_dave: Client):
    schema = public_dave.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/score"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["bids"]
    assert body["properties"]["bids"]["maxItems"] == 500
    assert body["properties"]["quant_basis"]["enum"] == ["value", "sv_add"]
    # 409: a write whose database was busy, as for every POST.
    assert set(operation["responses"]) == {"200", "400", "409", "422"}


# --- Never a 500 ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | st.sampled_from(["NT1", "NT41", "-1", "1e999", "NaN", "0.1", "sv_add", "5", ""]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["bidder", "price", "x"]), children, max_size=3)
    ),
    max_leaves=8,
)
fuzz_lines = st.fixed_dictionaries(
    {},
    optional={
        "measure": json_values | st.sampled_from(["NT1", "NT18", "NT41", "NT999"]),
        "quantity": json_values,
        "quality_score": json_values | st.integers(min_value=-1, max_value=6),
    },
)
fuzz_bids = st.fixed_dictionaries(
    {},
    optional={
        "bidder": json_values | st.sampled_from(["Acme", "Acme", " acme"]),
        "price": json_values,
        "commitments": st.lists(fuzz_lines, max_size=3) | json_values,
    },
)
score_bodies = st.fixed_dictionaries(
    {},
    optional={
        "framework": json_values,
        "sv_weighting": json_values,
        "quantitative_share": json_values,
        "quant_basis": json_values,
        "deliverability_threshold": json_values,
        "menu": st.lists(st.sampled_from(["NT1", "NT18", "NT999"]), max_size=3) | json_values,
        "bids": st.lists(fuzz_bids, max_size=3) | json_values,
    },
)


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=score_bodies)
def test_it_never_fails_on_any_score_document(toms: FrameworkVersion, body: Any) -> None:
    response = Client().post(URL, data=json.dumps(body), content_type="application/json")

    assert response.status_code in {200, 422}, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 422:
        assert all(item["msg"] for item in response.json()["detail"])


def test_it_scores_the_largest_figures_it_takes(toms: FrameworkVersion, public_dave: Client):
    """Scoring stores nothing: quantities and prices of 15 digits before the point."""
    bids = [
        {
            "bidder": "Acme Ltd",
            "price": "0.01",
            "commitments": [line("NT1", "999999999999999.999999", 5)],
        },
        {
            "bidder": "Bolt plc",
            "price": "999999999999999.99",
            "commitments": [line("NT18", "0.000001", 5)],
        },
    ]
    for basis in ("value", "sv_add"):
        response = post(public_dave, body_with(bids, quant_basis=basis))
        assert response.status_code == 200, response.content
        ranked = {bid["bidder"]: bid["rank"] for bid in response.json()["bids"]}
        assert ranked == {"Acme Ltd": 1, "Bolt plc": 2}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "1e999999999999999999"),
        ("price", "1000000000000000"),
        ("quantity", "1e999999999999999999"),
        ("quantity", "1000000000000000"),
        ("quantity", "1e-999999999999999999"),
    ],
)
def test_it_answers_numbers_too_large_or_too_small_with_a_422(
    toms: FrameworkVersion, public_dave: Client, field: str, value: str
):
    commitment = line("NT1", value if field == "quantity" else "1", 3)
    price = value if field == "price" else "100000"
    response = post(public_dave, body_with(one_bid(commitment, price=price)))
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]
