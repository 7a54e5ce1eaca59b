"""No input ever makes the public API answer 500: arbitrary JSON documents and raw bytes."""

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.framework.models import FrameworkVersion

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["NT1", "NT41", "lancashire-toms-2024", "-1", "1e999", "NaN", "0.1"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["framework", "contract_value", "commitments", "measure", "quantity", "x"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)

commitment = st.fixed_dictionaries(
    {},
    optional={
        "measure": json_values | st.sampled_from(["NT1", "NT4", "NT41", "nt1", "NT999"]),
        "quantity": json_values,
    },
)
calculate_bodies = st.fixed_dictionaries(
    {},
    optional={
        "framework": json_values,
        "contract_value": json_values,
        "commitments": st.lists(commitment, max_size=5) | json_values,
    },
)

fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_json_4xx_or_200(response: Any) -> None:
    assert response.status_code < 500, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if response.status_code >= 400:
        assert body["detail"], body
        for item in body["detail"]:
            assert item["msg"]


@pytest.mark.django_db
@fuzz
@given(body=calculate_bodies)
def test_it_never_fails_on_any_calculate_document(toms: FrameworkVersion, body: Any) -> None:
    response = Client().post(
        "/api/v1/calculate", data=json.dumps(body), content_type="application/json"
    )
    assert_json_4xx_or_200(response)


@pytest.mark.django_db
@fuzz
@given(raw=st.binary(max_size=200))
def test_it_never_fails_on_raw_bytes(toms: FrameworkVersion, raw: bytes) -> None:
    response = Client().post("/api/v1/calculate", data=raw, content_type="application/json")
    assert_json_4xx_or_200(response)


@pytest.mark.django_db
@fuzz
@given(slug=st.text(max_size=40), theme=st.text(max_size=20))
def test_it_never_fails_on_any_measures_path(toms: FrameworkVersion, slug: str, theme: str) -> None:
    from urllib.parse import quote

    response = Client().get(f"/api/v1/frameworks/{quote(slug, safe='')}/measures", {"theme": theme})
    assert response.status_code < 500
