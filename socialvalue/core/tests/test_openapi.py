"""The OpenAPI document is exact: one schema per name, every error answer, real types.

django-ninja files each model's schema under the model's class name and lets a later model
of the same name silently replace an earlier one, so two ``LineOut`` classes in two apps
would leave one of them documented wrongly. These tests walk every operation's models.
"""

import types
from collections import defaultdict
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from django.test import Client
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from socialvalue.api import api
from socialvalue.core.openapi import ERROR_DESCRIPTIONS, error_statuses

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models a type annotation mentions, however deeply nested."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    if get_origin(annotation) in (Annotated, Union, types.UnionType) or get_args(annotation):
        for argument in get_args(annotation):
            yield from _models_in(argument)


def _reachable(roots: list[type[BaseModel]]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    stack = list(roots)
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            stack.extend(_models_in(field.annotation))
    return seen


def _is_wrapper(model: type[BaseModel]) -> bool:
    """django-ninja wraps each operation's parameters and answers in a model of its own,
    which never becomes a component; what it wraps does."""
    return model.__module__.startswith("ninja.") and not model.__name__.startswith("Paged")


def _documented_models() -> set[type[BaseModel]]:
    """Every model the operations answer with or read, and every model inside those."""
    roots: list[type[BaseModel]] = []
    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    for model in _models_in(wrapper):
                        for field in model.model_fields.values():
                            roots.extend(_models_in(field.annotation))
    return {model for model in _reachable(roots) if not _is_wrapper(model)}


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def test_it_walks_some_models_from_each_app() -> None:
    names = {model.__name__ for model in _documented_models()}
    assert {"CalculatedLineOut", "LineOut", "ContractOut", "CaseStudyContractOut"} <= names
    assert {"ErrorOut", "ErrorItemOut", "DistrictOut", "PagedContractOut"} <= names


def test_it_gives_each_schema_name_to_one_model() -> None:
    by_name: dict[str, set[type[BaseModel]]] = defaultdict(set)
    for model in _documented_models():
        by_name[model.__name__].add(model)
    clashes = {}
    for name, models in by_name.items():
        if len(models) == 1:
            continue
        made_by_ninja = all(m.__module__.startswith("ninja.") for m in models)
        if made_by_ninja and len({repr(_schema(m)) for m in models}) == 1:
            continue  # the same page wrapper made twice, documented identically
        clashes[name] = sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
    assert clashes == {}


def test_it_documents_each_model_under_its_own_name(document: dict[str, Any]) -> None:
    models = {model.__name__: model for model in _documented_models()}
    components = document["components"]["schemas"]
    assert set(components) == set(models)
    for name, model in models.items():
        schema = _schema(model)
        schema.pop("$defs", None)
        if name in ("ErrorOut", "ErrorItemOut") or name.startswith("Paged"):
            continue  # made for the document rather than by the operations' own models
        assert components[name] == schema, name


def test_it_documents_the_error_shape_with_text_and_integer_places(
    document: dict[str, Any],
) -> None:
    item = document["components"]["schemas"]["ErrorItemOut"]
    assert item["required"] == ["loc", "msg"]
    assert item["properties"]["loc"]["items"] == {
        "anyOf": [{"type": "string"}, {"type": "integer"}]
    }
    # Left out, or text: never null.
    assert item["properties"]["type"]["type"] == "string"
    assert "anyOf" not in item["properties"]["type"]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            yield method, path, operation


def test_it_documents_every_error_an_operation_can_answer_with(
    document: dict[str, Any],
) -> None:
    operations = list(_operations(document))
    assert len(operations) >= 37
    for method, path, operation in operations:
        label = f"{method.upper()} {path}"
        statuses = {int(status) for status in operation["responses"]}
        has_path_parameter = "{" in path
        assert 400 in statuses, label
        assert (401 in statuses) == bool(operation.get("security")), label
        assert (403 in statuses) == bool(operation.get("security")), label
        assert (404 in statuses) == has_path_parameter, label
        assert (409 in statuses) == (method in WRITE_METHODS), label
        assert 429 not in statuses, label  # the API has no rate limit
        for status in ERROR_DESCRIPTIONS:
            if status in statuses:
                response = operation["responses"][status]
                assert response["content"]["application/json"]["schema"] == ERROR_REF, label
                assert response["description"] == ERROR_DESCRIPTIONS[status]


@pytest.mark.parametrize(
    ("method", "operation", "expected"),
    [
        ("get", {}, {400}),
        ("get", {"security": [{"TokenAuth": []}]}, {400, 401, 403}),
        ("get", {"parameters": [{"in": "query", "name": "page"}]}, {400, 422}),
        ("get", {"parameters": [{"in": "path", "name": "slug"}]}, {400, 404, 422}),
        ("post", {"requestBody": {}}, {400, 409, 422}),
        ("DELETE", {"parameters": [{"in": "path", "name": "id"}]}, {400, 404, 409, 422}),
    ],
)
def test_it_works_out_the_error_statuses_from_the_operation(
    method: str, operation: dict[str, Any], expected: set[int]
) -> None:
    assert error_statuses(method, operation) == expected


def _property_types(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each property with each type it may have, null apart."""
    for name, details in schema.get("properties", {}).items():
        for alternative in details.get("anyOf", [details]):
            if alternative.get("type") != "null":
                yield name, alternative


def test_it_documents_decimals_as_text_and_dates_with_their_format(
    document: dict[str, Any],
) -> None:
    checked = 0
    for component, schema in document["components"]["schemas"].items():
        for name, details in _property_types(schema):
            label = f"{component}.{name}"
            assert details.get("type") != "number", label
            if name.endswith("_at"):
                assert (details["type"], details["format"]) == ("string", "date-time"), label
                checked += 1
            if name.endswith("_date") or name == "as_of":
                assert details.get("format") == "date", label
                checked += 1
    assert checked >= 10


def test_it_documents_fields_that_may_be_null_as_nullable(document: dict[str, Any]) -> None:
    components = document["components"]["schemas"]
    submitted_at = components["ReturnOut"]["properties"]["submitted_at"]
    assert {"type": "null"} in submitted_at["anyOf"]
    assert {"type": "null"} in components["ContractOut"]["properties"]["percent"]["anyOf"]
    value = components["ContractOut"]["properties"]["value"]
    assert value["type"] == "string"
    assert "anyOf" not in value
    assert "value" in components["ContractOut"]["required"]


@pytest.mark.django_db
def test_it_serves_the_same_document(client: Client, document: dict[str, Any]) -> None:
    served = client.get("/api/v1/openapi.json").json()
    assert served["components"]["schemas"].keys() == document["components"]["schemas"].keys()
    assert served["paths"].keys() == document["paths"].keys()
