"""System check: every page and API operation declares its access rule.

A URL pattern whose view has no ``@access`` rule (``socialvalue.core.access``), or an API
operation without ``@api_access``, fails ``manage.py check`` and so ``make check`` and every
test run. The Django admin is governed as a whole by its site (platform administrators only),
and the API's own documentation pages are public.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.core.checks import CheckMessage, Error, register
from django.urls import URLPattern, URLResolver, get_resolver

from socialvalue.core.access import Audience, rule_for

API_DOCUMENTS = {"openapi-json", "openapi-view", "api-root"}


def url_patterns() -> Iterator[tuple[str, URLPattern, str]]:
    """Every URL pattern as (route, pattern, namespace), the admin's excluded."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Any]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = pattern.namespace or namespace
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            else:
                yield prefix + str(pattern.pattern), pattern, namespace

    yield from walk(get_resolver(), "", "")


def api_operations() -> Iterator[tuple[str, str, Any]]:
    """Every API operation as (method, path, operation)."""
    from socialvalue.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, f"{prefix.rstrip('/')}{path}", operation


@register()
def check_access_rules(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for route, pattern, namespace in url_patterns():
        if namespace == "api" and pattern.name in API_DOCUMENTS:
            continue
        if namespace == "api" and route.startswith("api/v1/") and pattern.name:
            continue  # API operations are checked below, one by one
        if rule_for(pattern.callback) is None:
            errors.append(
                Error(
                    f"The page at '{route}' does not declare who may use it.",
                    hint="Decorate its view with @access(...) from socialvalue.core.access.",
                    id="socialvalue.E001",
                )
            )
    for method, path, operation in api_operations():
        rule = rule_for(operation.view_func)
        if rule is None:
            errors.append(
                Error(
                    f"The API operation {method} {path} does not declare who may use it.",
                    hint="Add @api_access(...) directly under its @router decorator.",
                    id="socialvalue.E002",
                )
            )
            continue
        public = Audience.ANYONE in rule.who
        if public == bool(operation.auth_callbacks):
            errors.append(
                Error(
                    f"The API operation {method} {path} is "
                    + ("public but asks for authentication." if public else "not public but ")
                    + ("" if public else "does not ask for authentication."),
                    id="socialvalue.E003",
                )
            )
    if not getattr(admin.site, "platform_admins_only", False):
        errors.append(
            Error(
                "The admin site must be open to platform administrators only.",
                hint="Use socialvalue.core.admin_site.SocialValueAdminSite.",
                id="socialvalue.E004",
            )
        )
    return errors
