"""A Cabinet member reads their organisation's figures and reports, and changes nothing."""

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory


@pytest.fixture
def cabinet_colin(council: Organisation) -> User:
    return UserFactory.create(
        email="colin@lancashire.example",
        full_name="Colin Cabinet",
        role=User.Role.CABINET,
        organisation=council,
    )


@pytest.fixture
def colin(cabinet_colin: User) -> Client:
    client = Client()
    client.force_login(cabinet_colin)
    return client


@pytest.mark.parametrize(
    "url", ["/insights/", "/insights/reports/", "/insights/targets/", "/insights/statement/"]
)
def test_it_shows_a_cabinet_member_the_figures_and_reports(colin: Client, url: str) -> None:
    assert colin.get(url).status_code == 200


def test_it_puts_insight_in_a_cabinet_members_navigation(colin: Client) -> None:
    html = colin.get("/insights/").content.decode()
    assert 'href="/insights/"' in html
    assert 'href="/tenders/"' not in html


@pytest.mark.parametrize(
    "url",
    ["/tenders/", "/contracts/", "/returns/", "/insights/training/", "/insights/categories/"],
)
def test_it_keeps_a_cabinet_member_out_of_the_officers_work(colin: Client, url: str) -> None:
    assert colin.get(url).status_code == 403


def test_it_refuses_a_cabinet_member_a_change_to_the_targets(
    colin: Client, cabinet_colin: User
) -> None:
    year = 2026
    response = colin.post(f"/insights/targets/?year={year}", {"sv_add_percent": "12"})
    assert response.status_code == 403
