"""POST /api/v1/calculate."""

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from socialvalue.framework.models import FrameworkVersion

URL = "/api/v1/calculate"
FRAMEWORK = "lancashire-toms-2024"


def post(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def body_with(*lines: tuple[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "framework": FRAMEWORK,
        "commitments": [{"measure": code, "quantity": q} for code, q in lines],
        **extra,
    }


def test_it_calculates_fractional_ftes(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(("NT1", "2.5"), ("NT4", 0.5)))

    assert response.status_code == 200
    assert response.json() == {
        "total_value": "85903.95",
        "sv_add_percent": None,
        "by_theme": [{"theme": "Employment and skills", "value": "85903.95"}],
        "lines": [
            {"measure": "NT1", "quantity": "2.5", "proxy_value": "31285.00", "value": "78212.50"},
            {"measure": "NT4", "quantity": "0.5", "proxy_value": "15382.90", "value": "7691.45"},
        ],
        "unmonetised": [],
    }


def test_it_calculates_large_quantities_and_rounds_each_figure_once(
    toms: FrameworkVersion, public_dave: Client
):
    response = post(public_dave, body_with(("NT18", 250000000), ("NT14", "123456789.123456")))

    data = response.json()
    assert [line["value"] for line in data["lines"]] == ["250000000.00", "14814814.69"]
    assert data["lines"][1]["quantity"] == "123456789.123456"
    # 250000000 + 14814814.69481472 = 264814814.69481472
    assert data["total_value"] == "264814814.69"
    assert data["by_theme"] == [{"theme": "Economic prosperity", "value": "264814814.69"}]


def test_it_rounds_the_total_from_exact_values_not_from_rounded_lines(
    toms: FrameworkVersion, public_dave: Client
):
    # 0.25 miles × £0.06 = £0.015 a line: each line shows 0.02, but the exact total of
    # 0.045 rounds to 0.05 (adding the rounded lines would give 0.06).
    response = post(public_dave, body_with(("NT32", "0.25"), ("NT32", "0.25"), ("NT32", "0.25")))

    data = response.json()
    assert [line["value"] for line in data["lines"]] == ["0.02", "0.02", "0.02"]
    assert data["total_value"] == "0.05"
    assert data["by_theme"] == [{"theme": "Environment sustainability", "value": "0.05"}]


def test_it_lists_measures_without_proxy_and_counts_them_as_zero(
    toms: FrameworkVersion, public_dave: Client
):
    response = post(public_dave, body_with(("NT41", "95"), ("NT1", "1")))

    data = response.json()
    assert data["total_value"] == "31285.00"
    assert data["lines"][0] == {
        "measure": "NT41",
        "quantity": "95",
        "proxy_value": None,
        "value": "0.00",
    }
    assert data["unmonetised"] == [
        {
            "measure": "NT41",
            "quantity": "95",
            "description": (
                "Percentage of staff on contract that is paid at least the relevant Real "
                "Living wage as specified by Living Wage foundation"
            ),
            "unit": "%",
        }
    ]
    assert data["by_theme"] == [
        {"theme": "Employment and skills", "value": "31285.00"},
        {"theme": "Economic prosperity", "value": "0.00"},
    ]


def test_it_sums_by_theme_in_framework_order(toms: FrameworkVersion, public_dave: Client):
    response = post(
        public_dave,
        body_with(
            ("NT31", "10"),  # 2446.30 environment
            ("NT29", "40"),  # 40.00 community
            ("NT14", "1000"),  # 120.00 economic prosperity
            ("NT1", "2.5"),  # 78212.50 employment
            ("NT8", "3"),  # 50.79 employment
        ),
    )

    data = response.json()
    assert data["by_theme"] == [
        {"theme": "Employment and skills", "value": "78263.29"},
        {"theme": "Economic prosperity", "value": "120.00"},
        {"theme": "Community building: health & wellbeing", "value": "40.00"},
        {"theme": "Environment sustainability", "value": "2446.30"},
    ]
    assert data["total_value"] == "80869.59"
    assert [line["measure"] for line in data["lines"]] == ["NT31", "NT29", "NT14", "NT1", "NT8"]


def test_it_works_out_sv_add_percent(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(("NT1", "2.5"), contract_value="1000000"))

    assert response.json()["sv_add_percent"] == "7.82"


def test_it_rounds_sv_add_percent_half_up(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(("NT18", "7825"), contract_value=100000))

    assert response.json()["sv_add_percent"] == "7.83"


def test_it_keeps_number_quantities_exact(toms: FrameworkVersion, public_dave: Client):
    # 0.1 as a JSON number must not become 0.1000000000000000055511151231257827.
    response = post(public_dave, '{"commitments": [{"measure": "NT18", "quantity": 0.1}]}')

    data = response.json()
    assert data["lines"][0]["quantity"] == "0.1"
    assert data["lines"][0]["value"] == "0.10"


def test_it_uses_the_current_framework_when_none_is_named(
    toms: FrameworkVersion, public_dave: Client
):
    response = post(public_dave, {"commitments": [{"measure": "NT1", "quantity": "1"}]})

    assert response.status_code == 200
    assert response.json()["total_value"] == "31285.00"


def test_it_values_an_empty_list_at_zero(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(contract_value="500000"))

    assert response.status_code == 200
    assert response.json() == {
        "total_value": "0.00",
        "sv_add_percent": "0.00",
        "by_theme": [],
        "lines": [],
        "unmonetised": [],
    }


def test_it_allows_zero_quantities(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(("NT1", "0")))

    assert response.status_code == 200
    assert response.json()["total_value"] == "0.00"


def test_it_accepts_10000_commitments(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(*[("NT18", "1")] * 10_000))

    assert response.status_code == 200
    assert response.json()["total_value"] == "10000.00"


def test_it_answers_a_signed_in_caller_too(
    toms: FrameworkVersion, client_as: Any, supplier_bob: Any
):
    response = post(client_as(supplier_bob), body_with(("NT1", "2.5")))

    assert response.status_code == 200
    assert response.json()["total_value"] == "78212.50"


def test_it_needs_no_csrf_token(toms: FrameworkVersion, supplier_bob: Any):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supplier_bob)

    response = post(client, body_with(("NT1", "1")))

    assert response.status_code == 200


def assert_error(response: Any, loc: list[Any], msg: str | None = None) -> dict[str, Any]:
    assert response.status_code == 422
    detail = response.json()["detail"]
    matching = [item for item in detail if item["loc"] == loc]
    assert matching, detail
    if msg is not None:
        assert matching[0]["msg"] == msg
    return matching[0]


def test_it_names_an_unknown_measure_code(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(("NT1", "1"), ("NT4", "1"), ("NT999", "1")))

    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "commitments", 2, "measure"],
                "msg": "Unknown measure code 'NT999' in lancashire-toms-2024.",
                "type": "unknown_measure",
            }
        ]
    }
    assert response.status_code == 422


def test_it_names_every_offending_line(toms: FrameworkVersion, public_dave: Client):
    response = post(
        public_dave,
        body_with(("NT999", "1"), ("NT1", "-1"), ("NT1", "abc"), ("NT4", "2"), ("XX", "-2")),
    )

    assert [item["loc"] for item in response.json()["detail"]] == [
        ["body", "commitments", 0, "measure"],
        ["body", "commitments", 1, "quantity"],
        ["body", "commitments", 2, "quantity"],
        ["body", "commitments", 4, "measure"],
        ["body", "commitments", 4, "quantity"],
    ]


@pytest.mark.parametrize("quantity", ["-1", -0.5, "-0.000001"])
def test_it_refuses_a_negative_quantity(toms: FrameworkVersion, public_dave: Client, quantity: Any):
    response = post(public_dave, body_with(("NT1", "1"), ("NT4", quantity)))

    assert_error(response, ["body", "commitments", 1, "quantity"], "Quantity must be 0 or more.")


@pytest.mark.parametrize("quantity", ["abc", "", "1,5", True, [1], {"value": 1}, "0x10"])
def test_it_refuses_a_quantity_that_is_not_a_number(
    toms: FrameworkVersion, public_dave: Client, quantity: Any
):
    response = post(public_dave, body_with(("NT1", quantity)))

    assert_error(
        response,
        ["body", "commitments", 0, "quantity"],
        'Quantity must be a number, such as 2.5 or "2.5".',
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", '"NaN"', '"inf"', "1e999"])
def test_it_refuses_nan_and_infinity(toms: FrameworkVersion, public_dave: Client, literal: str):
    body = '{"commitments": [{"measure": "NT1", "quantity": ' + literal + "}]}"
    response = post(public_dave, body)

    item = assert_error(response, ["body", "commitments", 0, "quantity"])
    assert item["type"] in {"not_finite", "too_large"}


def test_it_refuses_a_quantity_with_too_many_digits(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(("NT1", "1000000000000000"), ("NT1", "0.0000001")))

    assert_error(
        response,
        ["body", "commitments", 0, "quantity"],
        "Quantity must have at most 15 digits before the decimal point.",
    )
    assert_error(
        response,
        ["body", "commitments", 1, "quantity"],
        "Quantity must have at most 6 decimal places.",
    )


def test_it_refuses_a_line_without_measure_or_quantity(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, {"commitments": [{"quantity": "1"}, {"measure": "NT1"}, 7]})

    assert_error(response, ["body", "commitments", 0, "measure"])
    assert_error(response, ["body", "commitments", 1, "quantity"])
    assert_error(response, ["body", "commitments", 2])


@pytest.mark.parametrize("body", ['{"commitments": [', "not json", "", "\xff\xfe", "[" * 100_000])
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

    assert_error(response, ["body"])


def test_it_requires_the_commitments_field(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, {"framework": FRAMEWORK, "contract_value": "100"})

    assert_error(response, ["body", "commitments"])


def test_it_requires_commitments_to_be_a_list(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, {"commitments": {"measure": "NT1", "quantity": "1"}})

    assert_error(response, ["body", "commitments"])


@pytest.mark.parametrize(
    ("contract_value", "msg"),
    [
        ("0", "Contract value must be more than 0."),
        (0, "Contract value must be more than 0."),
        ("-100", "Contract value must be more than 0."),
        ("lots", 'Contract value must be an amount in pounds, such as 1250000 or "1250000.00".'),
        ("NaN", "Contract value must be a finite amount; NaN and Infinity are not amounts."),
    ],
)
def test_it_refuses_a_contract_value_that_is_not_positive(
    toms: FrameworkVersion, public_dave: Client, contract_value: Any, msg: str
):
    response = post(public_dave, body_with(("NT1", "1"), contract_value=contract_value))

    assert_error(response, ["body", "contract_value"], msg)


def test_it_refuses_more_than_10000_commitments(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(*[("NT18", "1")] * 10_001))

    assert_error(
        response,
        ["body", "commitments"],
        "Send at most 10,000 commitments per request; this request has 10,001.",
    )


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_it_refuses_an_oversized_body_with_json(toms: FrameworkVersion, public_dave: Client):
    response = post(public_dave, body_with(*[("NT18", "1")] * 100))

    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body"]


@pytest.mark.parametrize("framework", ["no-such-framework", 5])
def test_it_refuses_an_unknown_framework(
    toms: FrameworkVersion, public_dave: Client, framework: Any
):
    response = post(public_dave, {"framework": framework, "commitments": []})

    assert_error(response, ["body", "framework"])


def test_it_refuses_a_draft_framework(toms: FrameworkVersion, public_dave: Client):
    FrameworkVersion.objects.create(
        framework=toms.framework, slug="lancashire-toms-draft", name="Draft", label="draft"
    )

    response = post(public_dave, {"framework": "lancashire-toms-draft", "commitments": []})

    assert_error(
        response,
        ["body", "framework"],
        "There is no published framework version 'lancashire-toms-draft'. "
        "Versions you can use: lancashire-toms-2024.",
    )


def test_it_explains_when_no_framework_is_published(db: None, public_dave: Client):
    response = post(public_dave, {"commitments": []})

    assert_error(response, ["body", "framework"], "No framework version has been published yet.")


def test_it_documents_the_endpoint_in_openapi(toms: FrameworkVersion, public_dave: Client):
    schema = public_dave.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/calculate"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["commitments"]
    assert body["properties"]["commitments"]["maxItems"] == 10_000
    assert "rounded from the\nexact sums" in operation["description"]
    # 409: a write whose database was busy, as for every POST.
    assert set(operation["responses"]) == {"200", "400", "409", "422"}


def test_it_values_the_largest_figures_it_takes_exactly(
    toms: FrameworkVersion, public_dave: Client
):
    """The calculator stores nothing, so it takes more than a bid holds: 15 digits before
    the point. 999,999,999,999,999.999999 FTE × £31,285.00 and a contract of £0.01."""
    body = body_with(("NT1", "999999999999999.999999"), contract_value="0.01")
    response = post(public_dave, body)
    assert response.status_code == 200
    assert response.json()["total_value"] == "31284999999999999999.97"
    # 31,284,999,999,999,999,999.968715 / 0.01 × 100 = 312,849,999,999,999,999,999,687.15
    assert response.json()["sv_add_percent"] == "312849999999999999999687.15"


@pytest.mark.parametrize(
    "body",
    [
        '{"commitments": [{"measure": "NT1", "quantity": 1e999999999999999999}]}',
        '{"commitments": [{"measure": "NT1", "quantity": "1e999999999999999999"}]}',
        '{"commitments": [{"measure": "NT1", "quantity": 1e-999999999999999999}]}',
        '{"commitments": [{"measure": "NT1", "quantity": "1000000000000000"}]}',
        '{"commitments": [], "contract_value": 1e999999999999999999}',
        '{"commitments": [], "contract_value": "1000000000000000"}',
        '{"commitments": [], "contract_value": 1e-999999}',
    ],
)
def test_it_answers_numbers_too_large_or_too_small_with_a_422(
    toms: FrameworkVersion, public_dave: Client, body: str
):
    response = post(public_dave, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]
