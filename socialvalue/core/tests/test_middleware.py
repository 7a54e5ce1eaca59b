import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/frameworks/%00/measures",
        "/api/v1/needs/summary?domain=%00",
        "/api/v1/partners?measure=NT1%00",
    ],
)
def test_it_refuses_a_nul_in_an_api_address_with_json_400(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            {"loc": ["path"], "msg": "The request contains a NUL character, which is not allowed."}
        ]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/framework/%00/", "/partners/?q=a%00b"])
def test_it_refuses_a_nul_in_a_page_address(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_it_lets_ordinary_requests_through(client: Client) -> None:
    assert client.get("/").status_code == 200
