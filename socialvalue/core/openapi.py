"""The OpenAPI document, with every error answer an operation can give documented.

django-ninja documents what each endpoint's decorator declares. Most error answers come
from elsewhere, alike for every operation: the NUL guard and the JSON body reader (400),
authentication (401), role checks and the CSRF check of a browser session (403), lookups
(404), state checks and a busy database (409) and input checks (422). They are documented
here, in one place, from what each operation has: every operation can get a 400; one with
authentication a 401 and a 403; one with a path parameter a 404; one that writes a 409; one
that takes parameters or a body a 422. A status outside those rules is not documented for
that operation, even when its decorator names it, so the document says exactly what can
happen. Every one of these answers has the same body, ``ErrorOut``.

The API has no rate limit, so 429 is never answered.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from socialvalue.core.access import Rule, rule_for
from socialvalue.core.api_body import ErrorOut

ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The request could not be read: the body is not JSON, is too large or holds text "
    "that is not Unicode (a lone surrogate), or the address or query string contains a NUL "
    "character.",
    401: "No valid bearer token (`Authorization: Bearer …`) or signed-in session.",
    403: "The caller's role may not do this, or a signed-in browser session sent a change "
    "without its CSRF token.",
    404: "The record does not exist, or the caller may not see it.",
    409: "The record's state does not allow this, or the database was busy with another "
    "change. Nothing changed; a busy database is worth trying again.",
    422: "Something sent is wrong. Each entry of `detail` names its place, such as "
    '`["body", "commitments", 2, "quantity"]`; nothing changed.',
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer with, from what it has."""
    statuses = {400}
    if operation.get("security"):
        statuses |= {401, 403}
    parameters = operation.get("parameters") or []
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.add(404)
    if method.lower() in WRITE_METHODS:
        statuses.add(409)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    return statuses


def document_errors(document: dict[str, Any]) -> None:
    """Give every operation of ``document`` exactly the error answers it can give."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )
    schemas.update(error_schema.pop("$defs", {}))
    schemas[ErrorOut.__name__] = error_schema
    content = {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorOut")}}}
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            wanted = error_statuses(method, operation)
            for status, description in ERROR_DESCRIPTIONS.items():
                responses.pop(str(status), None)
                responses.pop(status, None)
                if status in wanted:
                    responses[status] = {"description": description, "content": content}
            operation["responses"] = dict(sorted(responses.items(), key=lambda i: int(i[0])))


def document_access(document: dict[str, Any], rules: dict[tuple[str, str], Rule]) -> None:
    """Say on every operation who may call it and which records it reaches (``x-access``),
    from the rule the operation declares (``socialvalue.core.access``)."""
    for path, path_item in document.get("paths", {}).items():
        for method, operation in path_item.items():
            rule = rules.get((method.upper(), path))
            if rule is None:
                continue
            described = rule.describe()
            operation["x-access"] = described
            who = "anyone" if rule.admits_anonymous else ", ".join(described["who"])
            note = f"**Who may call it:** {who}. **Records it reaches:** {described['reaches']}."
            text = operation.get("description", "")
            operation["description"] = f"{text}\n\n{note}" if text else note


class DocumentedNinjaAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists every error answer (see the module) and who
    may call each operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(document)
        prefix = path_prefix if path_prefix is not None else self.get_root_path(path_params or {})
        document_access(document, self._declared_rules(prefix.rstrip("/")))
        return document

    def _declared_rules(self, prefix: str) -> dict[tuple[str, str], Rule]:
        rules: dict[tuple[str, str], Rule] = {}
        for router_prefix, router in self._routers:
            for path, path_view in router.path_operations.items():
                for operation in path_view.operations:
                    rule = rule_for(operation.view_func)
                    if rule is None:
                        continue
                    for method in operation.methods:
                        full = f"{prefix}{router_prefix.rstrip('/')}{path}"
                        rules[(method, full)] = rule
        return rules
