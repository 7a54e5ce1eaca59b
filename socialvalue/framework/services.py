"""Writes to the framework: loading a version from a data file, publishing and retiring.

Every write goes through here; the models themselves refuse edits to a published version,
so the admin and any other path are held to the same rule.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.core.money import PROXY
from socialvalue.framework.models import (
    Framework,
    FrameworkVersion,
    Measure,
    Outcome,
    Theme,
)

FILE_FORMAT = "socialvalue-framework/1"
DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "data" / "lancashire-toms-2024.json"

ERR_NOT_JSON = "The file is not valid JSON: {error}."
ERR_FORMAT = f'The file must declare "format": "{FILE_FORMAT}".'
ERR_MISSING = "{where}: '{key}' is required."
ERR_DUPLICATE_CODE = "{where}: measure code {code} appears more than once."
ERR_PROXY = "{where}: proxy_value {value!r} must be a non-negative amount in £, or null."
ERR_VALUE_TYPE = "{where}: value_type {value!r} must be one of {choices}."
ERR_VERSION_EXISTS = (
    "Framework version {slug} already exists and is {status}; it cannot be replaced. "
    "Give the new version its own slug."
)
ERR_NOT_DRAFT = "Only a draft version can be published; {slug} is {status}."
ERR_NOT_PUBLISHED = "Only a published version can be retired; {slug} is {status}."
ERR_EMPTY_VERSION = "Version {slug} has no measures and cannot be published."


class FrameworkFileError(ValidationError):
    """A framework data file was refused; ``messages`` holds one message per problem."""


@dataclass
class LoadResult:
    version: FrameworkVersion
    created: bool
    themes: int = 0
    outcomes: int = 0
    measures: int = 0
    replaced: bool = False
    warnings: list[str] = field(default_factory=list)


def _require(obj: dict[str, Any], key: str, where: str, errors: list[str]) -> Any:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(ERR_MISSING.format(where=where, key=key))
        return ""
    return value


def _parse_proxy(raw: Any, where: str, errors: list[str]) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors.append(ERR_PROXY.format(where=where, value=raw))
        return None
    if not value.is_finite() or value < 0:
        errors.append(ERR_PROXY.format(where=where, value=raw))
        return None
    problem = PROXY.problem(value, "proxy_value")
    if problem is not None:
        errors.append(f"{where}: {problem}.")
        return None
    return value


def framework_file_parse(*, text: str) -> dict[str, Any]:
    """Check a framework file completely and return it, or raise one error per problem."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError([ERR_NOT_JSON.format(error=exc)]) from exc
    if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
        raise FrameworkFileError([ERR_FORMAT])
    errors: list[str] = []
    fw = doc.get("framework") or {}
    ver = doc.get("version") or {}
    for key in ("slug", "name"):
        _require(fw, key, "framework", errors)
    for key in ("slug", "name", "label"):
        _require(ver, key, "version", errors)
    themes = doc.get("themes")
    if not isinstance(themes, list) or not themes:
        errors.append(ERR_MISSING.format(where="file", key="themes"))
        themes = []
    seen: set[str] = set()
    value_types = [c.value for c in Measure.ValueType]
    for ti, theme in enumerate(themes, start=1):
        where_t = f"theme {ti}"
        _require(theme, "slug", where_t, errors)
        _require(theme, "name", where_t, errors)
        outcomes = theme.get("outcomes") or []
        if not outcomes:
            errors.append(ERR_MISSING.format(where=where_t, key="outcomes"))
        for oi, outcome in enumerate(outcomes, start=1):
            where_o = f"{where_t}, outcome {oi}"
            _require(outcome, "name", where_o, errors)
            measures = outcome.get("measures") or []
            if not measures:
                errors.append(ERR_MISSING.format(where=where_o, key="measures"))
            for mi, measure in enumerate(measures, start=1):
                code = str(measure.get("code") or "").strip()
                where_m = f"{where_o}, measure {code or mi}"
                _require(measure, "code", where_m, errors)
                for key in ("description", "unit", "evidence_required"):
                    _require(measure, key, where_m, errors)
                if code:
                    if code in seen:
                        errors.append(ERR_DUPLICATE_CODE.format(where=where_m, code=code))
                    seen.add(code)
                _parse_proxy(measure.get("proxy_value"), where_m, errors)
                if measure.get("value_type") not in value_types:
                    errors.append(
                        ERR_VALUE_TYPE.format(
                            where=where_m,
                            value=measure.get("value_type"),
                            choices=", ".join(value_types),
                        )
                    )
    if errors:
        raise FrameworkFileError(errors)
    return doc


@transaction.atomic
def framework_version_load(*, text: str, previous_slug: str | None = None) -> LoadResult:
    """Load a framework data file as a new **draft** version.

    A draft with the same slug is replaced (it is still being prepared); a published or
    retired version with that slug is never touched and the load is refused.
    """
    doc = framework_file_parse(text=text)
    fw_doc, ver_doc = doc["framework"], doc["version"]
    framework, _ = Framework.objects.get_or_create(
        slug=fw_doc["slug"],
        defaults={"name": fw_doc["name"], "description": fw_doc.get("description", "")},
    )
    existing = FrameworkVersion.objects.filter(slug=ver_doc["slug"]).first()
    replaced = False
    if existing is not None:
        if existing.status != FrameworkVersion.Status.DRAFT:
            raise FrameworkFileError(
                [
                    ERR_VERSION_EXISTS.format(
                        slug=existing.slug, status=existing.get_status_display().lower()
                    )
                ]
            )
        existing.delete()
        replaced = True
    previous = None
    if previous_slug:
        previous = FrameworkVersion.objects.filter(slug=previous_slug).first()
    elif (
        latest := framework.versions.exclude(status=FrameworkVersion.Status.DRAFT)
        .order_by("-published_at")
        .first()
    ) is not None:
        previous = latest
    version = FrameworkVersion(
        framework=framework,
        slug=ver_doc["slug"],
        name=ver_doc["name"],
        label=str(ver_doc["label"]),
        source=ver_doc.get("source", ""),
        licence=ver_doc.get("licence", ""),
        attribution=ver_doc.get("attribution", ""),
        notes=ver_doc.get("notes", ""),
        previous=previous,
    )
    version.full_clean()
    version.save()
    result = LoadResult(version=version, created=True, replaced=replaced)
    order = 0
    for t_order, theme_doc in enumerate(doc["themes"], start=1):
        theme = Theme.objects.create(
            version=version,
            slug=theme_doc["slug"],
            name=theme_doc["name"],
            description=theme_doc.get("description", ""),
            order=t_order,
        )
        result.themes += 1
        for o_order, outcome_doc in enumerate(theme_doc["outcomes"], start=1):
            outcome = Outcome.objects.create(
                version=version, theme=theme, name=outcome_doc["name"], order=o_order
            )
            result.outcomes += 1
            for measure_doc in outcome_doc["measures"]:
                order += 1
                Measure.objects.create(
                    version=version,
                    theme=theme,
                    outcome=outcome,
                    code=measure_doc["code"].strip(),
                    description=measure_doc["description"],
                    unit=measure_doc["unit"],
                    proxy_value=_parse_proxy(measure_doc.get("proxy_value"), "", []),
                    value_type=measure_doc["value_type"],
                    evidence_required=measure_doc["evidence_required"],
                    examples=measure_doc.get("examples", ""),
                    order=order,
                )
                result.measures += 1
    return result


def framework_version_load_file(
    *, path: Path | str, previous_slug: str | None = None
) -> LoadResult:
    return framework_version_load(
        text=Path(path).read_text(encoding="utf-8"), previous_slug=previous_slug
    )


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    """Publish a draft. From now on it is immutable; it becomes the current version of its
    framework, and the version published before it is retired."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.DRAFT:
        raise ValidationError(
            ERR_NOT_DRAFT.format(slug=version.slug, status=version.get_status_display().lower())
        )
    if not version.measures.exists():
        raise ValidationError(ERR_EMPTY_VERSION.format(slug=version.slug))
    now = timezone.now()
    for current in FrameworkVersion.objects.filter(
        framework=version.framework, status=FrameworkVersion.Status.PUBLISHED
    ):
        current.status = FrameworkVersion.Status.RETIRED
        current.retired_at = now
        current.save()
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = now
    version.save()
    return version


@transaction.atomic
def framework_version_retire(*, version: FrameworkVersion) -> FrameworkVersion:
    """Retire a published version. It stays readable, with its dates, for old tenders."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(
            ERR_NOT_PUBLISHED.format(slug=version.slug, status=version.get_status_display().lower())
        )
    version.status = FrameworkVersion.Status.RETIRED
    version.retired_at = timezone.now()
    version.save()
    return version


def framework_default_ensure() -> LoadResult | None:
    """Load and publish the shipped Lancashire TOMs unless that version already exists."""
    doc = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    if FrameworkVersion.objects.filter(slug=doc["version"]["slug"]).exists():
        version = FrameworkVersion.objects.get(slug=doc["version"]["slug"])
        if version.is_draft:
            framework_version_publish(version=version)
        return None
    result = framework_version_load_file(path=DEFAULT_DATA_FILE)
    framework_version_publish(version=result.version)
    return result
