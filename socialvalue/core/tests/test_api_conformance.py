"""Every API operation answers as the OpenAPI document says, whoever calls it.

schemathesis reads the document the application serves at /api/v1/openapi.json and, for
each operation, generates requests from it: valid ones and invalid ones (wrong types,
missing fields, values out of range, unexpected JSON), then its boundary cases (each
parameter and field at and beyond its limits). They are sent to the application
in the demo world (``bootstrap --demo``), once anonymously, once with a supplier's token and
once with an officer's token; path parameters are random, or name records the caller may
see, or (anonymously) any record, so that the answers include successes, refusals and
mistakes. Every answer must be what the
document promises:

- never a server error (5xx);
- a status code the operation documents;
- a content type it documents for that status;
- a body that matches the documented schema (and documented headers).

Writes are included. Each request runs in a savepoint that is rolled back, so every
example starts from the same world and a failure replays exactly. The examples are the same
on every run (``derandomize``); ``API_CONFORMANCE_EXAMPLES=500`` explores: that many new
examples per operation and caller.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django import DjangoDbBlocker
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socialvalue.accounts.models import User
from socialvalue.accounts.services import api_token_create
from socialvalue.api import api
from socialvalue.bootstrap.demo import demo_load
from socialvalue.bootstrap.demo.contracts import pdf_bytes
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.models import Contract, Evidence, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import contracts_in_period
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    evidence_visible_to,
    lines_visible_to,
    returns_visible_to,
)
from socialvalue.core.quarters import Quarter
from socialvalue.framework.calculator_api import REQUEST_SCHEMA as CALCULATE_REQUEST
from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import framework_default_ensure
from socialvalue.needs.services import needs_data_load
from socialvalue.partners.models import PartnerProfile
from socialvalue.procurement.models import Bid, Tender
from socialvalue.procurement.offers.services import bid_withdraw
from socialvalue.procurement.scoring_api import REQUEST_SCHEMA as SCORE_REQUEST
from socialvalue.procurement.selectors import bids_visible_to, tenders_visible_to
from socialvalue.stories.models import CaseStudy

# A fixed set of examples for the suite; set API_CONFORMANCE_EXAMPLES to explore: that many
# examples per operation and caller, new ones on every run.
EXPLORE = "API_CONFORMANCE_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("API_CONFORMANCE_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
CALLERS = {
    "anonymous": None,
    "supplier": "supplier@ribblehighways.example",
    "officer": "officer@lancashire.example",
}
OPERATIONS = sorted(
    (method.upper(), path)
    for path, path_item in api.get_openapi_schema()["paths"].items()
    for method in path_item
)


@dataclass(frozen=True)
class World:
    schema: Any
    headers: dict[str, dict[str, str]]
    # caller → path template → parameters naming real records
    path_parameters: dict[str, dict[str, list[dict[str, Any]]]]


def _ids(records: QuerySet[Any]) -> list[int]:
    return list(records.order_by("pk").values_list("pk", flat=True))


def _known_path_parameters(user: User | None) -> dict[str, list[dict[str, Any]]]:
    """For each path template, parameters that name real records: those ``user`` may see,
    so that successes are reached, or every record for nobody."""
    if user is None:
        lines = ReturnLine.objects.all()
        by_parameter = {
            "tender_id": _ids(Tender.objects.all()),
            "bid_id": _ids(Bid.objects.all()),
            "contract_id": _ids(Contract.objects.all()),
            "return_id": _ids(Return.objects.all()),
            "evidence_id": _ids(Evidence.objects.all()),
        }
    else:
        lines = lines_visible_to(user)
        by_parameter = {
            "tender_id": _ids(tenders_visible_to(user)),
            "bid_id": _ids(bids_visible_to(user)),
            "contract_id": _ids(contracts_visible_to(user)),
            "return_id": _ids(returns_visible_to(user)),
            "evidence_id": _ids(evidence_visible_to(user)),
        }
    line_parameters = [
        {"return_id": return_id, "line_id": line_id}
        for return_id, line_id in lines.order_by("pk").values_list("return_record_id", "pk")
    ]
    slugs = {
        "/api/v1/frameworks/{slug}/measures": FrameworkVersion.objects.values_list(
            "slug", flat=True
        ),
        "/api/v1/partners/{slug}": PartnerProfile.objects.values_list("slug", flat=True),
        "/api/v1/case-studies/{slug}": CaseStudy.objects.values_list("slug", flat=True),
    }
    known: dict[str, list[dict[str, Any]]] = {}
    for _method, path in OPERATIONS:
        if "{line_id}" in path:
            known[path] = line_parameters
        elif path in slugs:
            known[path] = [{"slug": slug} for slug in sorted(slugs[path])]
        else:
            for name, values in by_parameter.items():
                if "{" + name + "}" in path:
                    known[path] = [{name: value} for value in values]
    return {path: values for path, values in known.items() if values}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The demo, with a token per caller, loaded once and rolled back after the module.

    Django closes the database connection at the end of each request it serves; inside the
    test's transaction that would end the transaction, so (as its test client does) the
    closing is switched off while the module runs.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        framework_default_ensure()
        needs_data_load()
        demo_load()
        headers: dict[str, dict[str, str]] = {}
        known = {}
        for caller, email in CALLERS.items():
            user = None if email is None else User.objects.get(email=email)
            headers[caller] = {}
            if user is not None:
                _token, raw = api_token_create(user=user, name="API conformance")
                headers[caller] = {"Authorization": f"Bearer {raw}"}
            known[caller] = _known_path_parameters(user)
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    try:
        yield World(schema=schema, headers=headers, path_parameters=known)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        cache.clear()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _cases(world: World, method: str, path: str, caller: str) -> st.SearchStrategy[Any]:
    """Valid and invalid requests, half of those with a path naming real records."""
    operation = world.schema[path][method]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in MODES]
    known = world.path_parameters[caller].get(path)
    if known:
        for mode in MODES:

            def at(parameters: dict[str, Any], mode: Any = mode) -> st.SearchStrategy[Any]:
                return operation.as_strategy(generation_mode=mode, path_parameters=parameters)

            strategies.append(st.sampled_from(known).flatmap(at))
    return st.one_of(strategies)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_it_answers_as_the_document_says(world: World, method: str, path: str, caller: str):
    headers = world.headers[caller]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not EXPLORE,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_cases(world, method, path, caller))
    def answers_as_documented(case: Any) -> None:
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)

    answers_as_documented()


@pytest.mark.django_db
@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_it_answers_the_boundary_cases_as_the_document_says(
    world: World, method: str, path: str, caller: str
):
    """schemathesis's coverage cases: each parameter and field at and beyond its limits,
    missing, of the wrong type, and the like (a fixed list for each operation)."""
    headers = world.headers[caller]
    operation = world.schema[path][method]
    config = world.schema.config.generation_for(operation=operation, phase="coverage")
    cases = world.schema.iter_coverage_cases(
        operation, generation_modes=MODES, generation_config=config
    )
    sent = 0
    for case in cases:
        if case.method.upper() != method:
            continue  # another method at the same address: not this operation
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)
        sent += 1
    assert sent


# --- Successful changes ---------------------------------------------------------------------
# Generated requests rarely get a change accepted (a right id, a right state and a right body
# all at once), so each write is also sent once in a form the demo accepts: its success
# answer must match the document too.


@dataclass(frozen=True)
class Change:
    caller: str
    method: str
    path: str
    status: int
    path_parameters: dict[str, Any]
    body: Any = None


def _user(caller: str) -> User:
    return User.objects.get(email=CALLERS[caller])


def _line(caller: str, status: str) -> dict[str, Any]:
    line = lines_visible_to(_user(caller)).filter(status=status).order_by("pk").first()
    assert line is not None, f"the demo has no {status} line for the {caller}"
    return {"return_id": line.return_record_id, "line_id": line.pk}


def _add_line() -> Change:
    return_record = returns_visible_to(_user("supplier")).get(status=Return.Status.DRAFT)
    contract = contracts_in_period(return_record.supplier, return_record.period).first()
    assert contract is not None
    body = {
        "contract": contract.pk,
        "measure": "NT1",
        "quantity": "1.5",
        "district": "Preston",
        "narrative": "Two apprentices started at the depot.",
    }
    lines = "/api/v1/returns/{return_id}/lines"
    return Change("supplier", "POST", lines, 201, {"return_id": return_record.pk}, body)


def _submit_nil_return() -> Change:
    supplier = _user("supplier")
    assert supplier.organisation is not None
    empty = Return.objects.create(
        supplier=supplier.organisation, period=period_for(Quarter(2020, 1))
    )
    path = "/api/v1/returns/{return_id}/submit"
    return Change("supplier", "POST", path, 200, {"return_id": empty.pk}, {"nil": True})


def _delete_evidence() -> Change:
    line = ReturnLine.objects.get(pk=_line("supplier", "draft")["line_id"])
    upload = SimpleUploadedFile("payroll.pdf", pdf_bytes("Payroll", ["Two new starters"]))
    evidence = evidence_add(line, upload, by=_user("supplier"))
    path = "/api/v1/evidence/{evidence_id}"
    return Change("supplier", "DELETE", path, 204, {"evidence_id": evidence.pk})


def _open_tender_without_an_offer() -> Tender:
    supplier = _user("supplier")
    tender = (
        Tender.objects.filter(status=Tender.Status.OPEN)
        .exclude(bids__supplier=supplier.organisation)
        .order_by("pk")
        .first()
    )
    assert tender is not None
    return tender


def _offer(tender: Tender) -> dict[str, Any]:
    measure = tender.menu.order_by("theme__order", "order").first()
    assert measure is not None
    return {
        "price": "1000000.00",
        "commitments": [
            {
                "measure": measure.code,
                "quantity": "2",
                "target_district": "Burnley",
                "activity": "Recruit local staff for the depot.",
                "who_delivers": "Our operations manager.",
                "when": "From month 1.",
                "partners": "Burnley Jobcentre Plus",
                "evidence": "Payroll extracts each quarter.",
            }
        ],
    }


def _own_bid() -> Bid:
    supplier = _user("supplier")
    bid = Bid.objects.filter(
        supplier=supplier.organisation, tender__status=Tender.Status.OPEN
    ).first()
    assert bid is not None
    return bid


def _start_offer() -> Change:
    tender = _open_tender_without_an_offer()
    path = "/api/v1/tenders/{tender_id}/bids"
    return Change("supplier", "POST", path, 201, {"tender_id": tender.pk}, _offer(tender))


def _replace_offer() -> Change:
    bid = _own_bid()
    return Change(
        "supplier", "PUT", "/api/v1/bids/{bid_id}", 200, {"bid_id": bid.pk}, _offer(bid.tender)
    )


def _bid_action(action: str) -> Callable[[], Change]:
    def change() -> Change:
        bid = _own_bid()
        if action == "reopen":
            bid_withdraw(bid=bid, by=_user("supplier"))
        return Change(
            "supplier", "POST", f"/api/v1/bids/{{bid_id}}/{action}", 200, {"bid_id": bid.pk}
        )

    return change


def _decision(caller: str, action: str, status: str) -> Callable[[], Change]:
    def change() -> Change:
        path = f"/api/v1/returns/{{return_id}}/lines/{{line_id}}/{action}"
        body = {"message": "Please send the payroll extract."}
        return Change(caller, "POST", path, 200, _line(caller, status), body)

    return change


def _register_contract() -> Change:
    supplier = _user("supplier").organisation
    assert supplier is not None
    body = {
        "supplier": supplier.pk,
        "reference": "LCC-API-CONFORMANCE-1",
        "title": "Street lighting maintenance",
        "lever": "procurement",
        "value": "250000.00",
        "start_date": "2026-04-01",
        "end_date": "2027-03-31",
        "targets": [{"measure": "NT1", "quantity": "2"}],
    }
    return Change("officer", "POST", "/api/v1/contracts", 201, {}, body)


LINE = "/api/v1/returns/{return_id}/lines/{line_id}"
SCORE_EXAMPLE = SCORE_REQUEST["example"]
CALCULATE_EXAMPLE = CALCULATE_REQUEST["example"]
CHANGES: dict[str, Callable[[], Change]] = {
    "add a line": _add_line,
    "change a draft line": lambda: Change(
        "supplier", "PATCH", LINE, 200, _line("supplier", "draft"), {"narrative": "Updated."}
    ),
    "delete a draft line": lambda: Change(
        "supplier", "DELETE", LINE, 204, _line("supplier", "draft")
    ),
    "answer a query": _decision("supplier", "answer", "queried"),
    "verify a line": _decision("officer", "verify", "submitted"),
    "query a line": _decision("officer", "query", "submitted"),
    "reject a line": _decision("officer", "reject", "submitted"),
    "submit a nil return": _submit_nil_return,
    "add an evidence file": lambda: Change(
        "supplier",
        "POST",
        LINE + "/evidence",
        201,
        _line("supplier", "draft"),
        {"file": pdf_bytes("Payroll", ["Two new starters"])},
    ),
    "remove an evidence file": _delete_evidence,
    "register a contract": _register_contract,
    "start an offer": _start_offer,
    "replace an offer": _replace_offer,
    "submit an offer": _bid_action("submit"),
    "withdraw an offer": _bid_action("withdraw"),
    "reopen an offer": _bid_action("reopen"),
    "score bids": lambda: Change("anonymous", "POST", "/api/v1/score", 200, {}, SCORE_EXAMPLE),
    "calculate": lambda: Change(
        "anonymous", "POST", "/api/v1/calculate", 200, {}, CALCULATE_EXAMPLE
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CHANGES))
def test_it_answers_a_successful_change_as_the_document_says(world: World, name: str) -> None:
    with transaction.atomic():
        change = CHANGES[name]()
        headers = world.headers[change.caller]
        operation = world.schema[change.path][change.method]
        body = {} if change.body is None else {"body": change.body}
        case = operation.Case(path_parameters=change.path_parameters, **body)
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    assert response.status_code == change.status, response.text[:500]
    case.validate_response(response, checks=CHECKS, headers=headers)
