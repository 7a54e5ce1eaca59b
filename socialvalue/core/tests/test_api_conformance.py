"""Every API operation answers as the OpenAPI document says, whoever calls it.

schemathesis reads the document the application serves at /api/v1/openapi.json and, for
each operation, generates requests from it: valid ones and invalid ones (wrong types,
missing fields, values out of range, unexpected JSON), then its boundary cases (each
parameter and field at and beyond its limits). They are sent to the application
in the demo world (``bootstrap --demo``), once anonymously, once with a supplier's token and
once with an officer's token; path parameters are random or the ids of real records, so
that the answers include successes, refusals and mistakes. Every answer must be what the
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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
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
from socialvalue.contracts.models import Contract, Evidence, Return, ReturnLine
from socialvalue.core.demo import demo_load
from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import framework_default_ensure
from socialvalue.needs.services import needs_data_load
from socialvalue.partners.models import PartnerProfile
from socialvalue.procurement.models import Bid, Tender
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
    path_parameters: dict[str, list[dict[str, Any]]]


def _known_path_parameters() -> dict[str, list[dict[str, Any]]]:
    """For each path template, parameters that name real records of the demo."""
    lines = ReturnLine.objects.order_by("pk").values_list("return_record_id", "pk")
    line_parameters = [{"return_id": r, "line_id": line} for r, line in lines]
    by_parameter = {
        "tender_id": Tender.objects.order_by("pk").values_list("pk", flat=True),
        "bid_id": Bid.objects.order_by("pk").values_list("pk", flat=True),
        "contract_id": Contract.objects.order_by("pk").values_list("pk", flat=True),
        "return_id": Return.objects.order_by("pk").values_list("pk", flat=True),
        "evidence_id": Evidence.objects.order_by("pk").values_list("pk", flat=True),
    }
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
        headers: dict[str, dict[str, str]] = {"anonymous": {}}
        for caller, email in CALLERS.items():
            if email is not None:
                _token, raw = api_token_create(user=User.objects.get(email=email), name="checks")
                headers[caller] = {"Authorization": f"Bearer {raw}"}
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
        known = _known_path_parameters()
    try:
        yield World(schema=schema, headers=headers, path_parameters=known)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        cache.clear()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _cases(world: World, method: str, path: str) -> st.SearchStrategy[Any]:
    """Valid and invalid requests, half of those with a path naming real records."""
    operation = world.schema[path][method]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in MODES]
    known = world.path_parameters.get(path)
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
    @given(case=_cases(world, method, path))
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
