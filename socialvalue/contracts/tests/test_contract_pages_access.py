"""Every contract page tried as each member of the cast: council staff, another buying
organisation's officer (404 for the council's contracts), the contract's supplier
(read-only), another supplier (404) and an anonymous visitor (sent to sign in)."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract
from socialvalue.contracts.tests.conftest import ContractMaker

ClientAs = Callable[[User | None], Client]
CAST = [
    "officer_alice",
    "lead_lucy",
    "evaluator_erin",
    "officer_olga",
    "supplier_bob",
    "supplier_carol",
    None,
]
LOGIN = "login"

# page → expected status for each of CAST, in order.
EXPECTED: dict[str, list[int | str]] = {
    "contract_list": [200, 200, 200, 200, 200, 200, LOGIN],
    "exceptions": [200, 200, 200, 200, 403, 403, LOGIN],
    "contract_new": [200, 200, 403, 200, 403, 403, LOGIN],
    "reporting_settings": [403, 200, 403, 403, 403, 403, LOGIN],
    "contract_detail": [200, 200, 200, 404, 200, 404, LOGIN],
    "contract_edit": [200, 200, 403, 404, 403, 403, LOGIN],
    "contract_close": [200, 200, 403, 404, 403, 403, LOGIN],
    "targets_edit": [200, 200, 403, 404, 403, 403, LOGIN],
    "target_profile": [200, 200, 403, 404, 403, 403, LOGIN],
}
CASES = [
    (page, who, status)
    for page, statuses in EXPECTED.items()
    for who, status in zip(CAST, statuses, strict=True)
]


def url_for(page: str, contract: Contract) -> str:
    if page in {"contract_list", "exceptions", "contract_new", "reporting_settings"}:
        return reverse(f"contracts:{page}")
    if page == "target_profile":
        target = contract.targets.get(measure__code="NT1")
        return reverse("contracts:target_profile", args=[contract.pk, target.pk])
    return reverse(f"contracts:{page}", args=[contract.pk])


@pytest.mark.parametrize(("page", "who", "status"), CASES)
def test_it_lets_each_person_see_only_what_they_may(
    make_contract: ContractMaker,
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    page: str,
    who: str | None,
    status: int | str,
) -> None:
    contract = make_contract()
    user = request.getfixturevalue(who) if who else None
    url = url_for(page, contract)
    response = client_as(user).get(url)
    if status == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    else:
        assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [("supplier_bob", 403), ("officer_olga", 404)])
def test_it_changes_nothing_for_someone_refused(
    make_contract: ContractMaker,
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    status: int,
) -> None:
    contract = make_contract()
    nt1 = contract.targets.get(measure__code="NT1")
    client = client_as(request.getfixturevalue(who))
    posts = [
        (reverse("contracts:contract_close", args=[contract.pk]), {"outcome": "ended"}),
        (
            reverse("contracts:targets_edit", args=[contract.pk]),
            {"action": "delete", "target": nt1.pk},
        ),
        (
            reverse("contracts:target_profile", args=[contract.pk, nt1.pk]),
            {"action": "even"},
        ),
        (reverse("contracts:contract_edit", args=[contract.pk]), {"title": "Taken over"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == status
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LIVE
    assert contract.title == "Highways maintenance"
    assert contract.targets.count() == 2
