"""Who sees what: suppliers see their own organisation's contracts, returns, lines and
evidence; officers see their own organisation's contracts and, in a supplier's return, only
the lines of those contracts; everyone else sees nothing, and gets 404 for a record."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import OrganisationFactory, UserFactory
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.models import Contract, Evidence, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    evidence_visible_to,
    get_contract_for_user,
    get_evidence_for_user,
    get_line_for_user,
    get_return_for_user,
    lines_of_return_for_user,
    lines_visible_to,
    returns_visible_to,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    """Named records: contracts, returns, lines and evidence."""

    records: dict[str, Any]

    def names(self, found: Any) -> set[str]:
        """The names of the records in ``found``."""
        by_key = {(type(r), r.pk): name for name, r in self.records.items()}
        return {by_key[(type(r), r.pk)] for r in found}


@pytest.fixture
def world(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    blackpool: Organisation,
    bobs_building: Organisation,
    carols_care: Organisation,
    last_quarter: Quarter,
) -> World:
    """Bob's Building holds a council contract and a Blackpool one, which started a quarter
    earlier; Carol's Care holds a council contract. Bob's return for last quarter has a line
    (with evidence) on each of its contracts; its return for the quarter before the council
    contract began has only the Blackpool line. Carol's return has one line. All three are
    submitted. Bob's return for the quarter before last is still a draft, with a line (and
    evidence) on the council contract that only Bob may see until he submits it."""
    early = last_quarter
    for _ in range(5):
        early = early.previous()
    council_bob = make_contract(reference="LCC-001")
    blackpool_bob = make_contract(reference="BPL-001", organisation=blackpool, start=early.start)
    council_carol = make_contract(reference="LCC-002", supplier=carols_care)
    bob_last = make_return(bobs_building, period_for(last_quarter))
    bob_early = make_return(bobs_building, period_for(early))
    bob_draft = make_return(bobs_building, period_for(last_quarter.previous()))
    carol_last = make_return(carols_care, period_for(last_quarter))
    lines = {
        "council line": add_line(bob_last, council_bob, "NT1", "1"),
        "blackpool line": add_line(bob_last, blackpool_bob, "NT1", "2"),
        "early blackpool line": add_line(bob_early, blackpool_bob, "NT18", "500"),
        "carol line": add_line(carol_last, council_carol, "NT1", "3"),
        "draft line": add_line(bob_draft, council_bob, "NT1", "4"),
    }
    evidence = {
        name.replace("line", "evidence"): evidence_add(
            line, SimpleUploadedFile("proof.pdf", PDF), by=None
        )
        for name, line in lines.items()
    }
    for submitted in (bob_last, bob_early, carol_last):
        return_submit(submitted)
    return World(
        {
            "LCC-001": council_bob,
            "BPL-001": blackpool_bob,
            "LCC-002": council_carol,
            "bob last": bob_last,
            "bob early": bob_early,
            "carol last": carol_last,
            "bob draft": bob_draft,
            **lines,
            **evidence,
        }
    )


def make_user(request: pytest.FixtureRequest, who: str) -> Any:
    if who == "public_dave":
        return AnonymousUser()
    if who == "partner_pat":
        partner = OrganisationFactory.create(
            name="Lancashire Volunteers", kind=Organisation.Kind.PARTNER
        )
        return UserFactory.create(
            email="pat@volunteers.example", role=User.Role.PARTNER, organisation=partner
        )
    if who == "former_bob":
        bobs = request.getfixturevalue("bobs_building")
        return UserFactory.create(
            email="former@bobsbuilding.example",
            role=User.Role.SUPPLIER,
            organisation=bobs,
            is_active=False,
        )
    if who == "orphan_officer":
        officer = UserFactory.create(email="orphan@lancashire.example", role=User.Role.OFFICER)
        officer.organisation = None
        officer.save()
        return officer
    return request.getfixturevalue(who)


COUNCIL = {
    "contracts": {"LCC-001", "LCC-002"},
    # The draft return is listed (Bob owes it), but its line and evidence are Bob's own.
    "returns": {"bob last", "carol last", "bob draft"},
    "lines": {"council line", "carol line"},
    "evidence": {"council evidence", "carol evidence"},
}
NOTHING: dict[str, set[str]] = {
    "contracts": set(),
    "returns": set(),
    "lines": set(),
    "evidence": set(),
}
SEES = {
    "supplier_bob": {
        "contracts": {"LCC-001", "BPL-001"},
        "returns": {"bob last", "bob early", "bob draft"},
        "lines": {"council line", "blackpool line", "early blackpool line", "draft line"},
        "evidence": {
            "council evidence",
            "blackpool evidence",
            "early blackpool evidence",
            "draft evidence",
        },
    },
    "supplier_carol": {
        "contracts": {"LCC-002"},
        "returns": {"carol last"},
        "lines": {"carol line"},
        "evidence": {"carol evidence"},
    },
    "officer_alice": COUNCIL,
    "evaluator_erin": COUNCIL,
    "lead_lucy": COUNCIL,
    "officer_olga": {
        "contracts": {"BPL-001"},
        "returns": {"bob last", "bob early", "bob draft"},
        "lines": {"blackpool line", "early blackpool line"},
        "evidence": {"blackpool evidence", "early blackpool evidence"},
    },
    "partner_pat": NOTHING,
    "public_dave": NOTHING,
    "former_bob": NOTHING,
    "orphan_officer": NOTHING,
}
WHO = list(SEES)
KINDS: dict[str, tuple[Callable[[Any], Any], Callable[[Any, int], Any]]] = {
    "contracts": (contracts_visible_to, get_contract_for_user),
    "returns": (returns_visible_to, get_return_for_user),
    "lines": (lines_visible_to, get_line_for_user),
    "evidence": (evidence_visible_to, get_evidence_for_user),
}


MODELS = {"contracts": Contract, "returns": Return, "lines": ReturnLine, "evidence": Evidence}


@pytest.mark.parametrize("who", WHO)
def test_it_lists_only_what_each_user_may_see(
    world: World, request: pytest.FixtureRequest, who: str
) -> None:
    user = make_user(request, who)
    seen = {kind: world.names(visible_to(user)) for kind, (visible_to, _) in KINDS.items()}
    assert seen == SEES[who]


@pytest.mark.parametrize("who", WHO)
def test_it_gets_a_record_for_a_user_who_may_see_it_and_404_otherwise(
    world: World, request: pytest.FixtureRequest, who: str
) -> None:
    user = make_user(request, who)
    for kind, (_, get_for_user) in KINDS.items():
        for name, record in world.records.items():
            if not isinstance(record, MODELS[kind]):
                continue
            if name in SEES[who][kind]:
                assert get_for_user(user, record.pk) == record
            else:
                with pytest.raises(Http404):
                    get_for_user(user, record.pk)


@pytest.mark.parametrize(
    ("who", "lines"),
    [
        ("supplier_bob", {"council line", "blackpool line"}),
        ("officer_alice", {"council line"}),
        ("officer_olga", {"blackpool line"}),
        ("supplier_carol", set()),
        ("public_dave", set()),
    ],
)
def test_it_shows_each_buyer_only_its_own_lines_of_a_shared_return(
    world: World, request: pytest.FixtureRequest, who: str, lines: set[str]
) -> None:
    user = make_user(request, who)
    assert world.names(lines_of_return_for_user(user, world.records["bob last"])) == lines


def test_it_finds_a_line_only_in_its_own_return(world: World, supplier_bob: User) -> None:
    line = world.records["council line"]
    assert get_line_for_user(supplier_bob, line.pk, return_pk=world.records["bob last"].pk) == line
    with pytest.raises(Http404):
        get_line_for_user(supplier_bob, line.pk, return_pk=world.records["bob early"].pk)


def test_it_gets_404_for_a_record_that_does_not_exist(world: World, officer_alice: User) -> None:
    for _, get_for_user in KINDS.values():
        with pytest.raises(Http404):
            get_for_user(officer_alice, 999_999)
