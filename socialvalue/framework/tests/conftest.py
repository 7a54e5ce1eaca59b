"""Framework test data: small hand-built versions, and a 2025 successor to the shipped TOMs."""

import copy
import json
from typing import Any

import pytest

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import (
    DEFAULT_DATA_FILE,
    framework_version_load,
    framework_version_publish,
)


def measure_doc(code: str, proxy: str | None = "1.00", **overrides: Any) -> dict[str, Any]:
    doc = {
        "code": code,
        "description": f"Measure {code}",
        "unit": "Number of weeks",
        "proxy_value": proxy,
        "value_type": "social",
        "evidence_required": f"Records for {code}.",
        "examples": f"- An example of {code}.\n- Does not count: anything else.",
    }
    doc.update(overrides)
    return doc


def framework_doc(
    version_slug: str, measures: list[dict[str, Any]], *, label: str = "1"
) -> dict[str, Any]:
    """A one-theme, one-outcome framework file around the given measures."""
    return {
        "format": "socialvalue-framework/1",
        "framework": {"slug": "test-toms", "name": "Test TOMs", "description": ""},
        "version": {
            "slug": version_slug,
            "name": f"Test TOMs {label}",
            "label": label,
            "source": "Written for the tests.",
            "licence": "Test licence.",
            "attribution": "Test TOMs attribution.",
            "notes": f"Version {label}.",
        },
        "themes": [
            {
                "slug": "people",
                "name": "People",
                "description": "",
                "outcomes": [{"name": "More jobs", "measures": measures}],
            }
        ],
    }


def load_doc(doc: dict[str, Any], *, publish: bool = False) -> FrameworkVersion:
    version = framework_version_load(text=json.dumps(doc)).version
    if publish:
        version = framework_version_publish(version=version)
    return version


def shipped_doc() -> dict[str, Any]:
    return json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))


def toms_2025_doc() -> dict[str, Any]:
    """The shipped TOMs with NT1's proxy raised to £32,000, NT41 dropped, NT90 added and
    NT3's description reworded."""
    doc = copy.deepcopy(shipped_doc())
    doc["version"].update(
        slug="lancashire-toms-2025",
        name="Lancashire TOMs 2025",
        label="2025",
        notes="Raises the NT1 proxy value and adds NT90.",
    )
    employment = doc["themes"][0]["outcomes"]
    employment[0]["measures"][0]["proxy_value"] = "32000.00"
    employment[0]["measures"].append(
        measure_doc("NT90", "12.50", description="Hours of digital skills coaching")
    )
    assert employment[1]["measures"][0]["code"] == "NT3"
    employment[1]["measures"][0]["description"] = "Long-term unemployed local people hired (FTE)"
    for theme in doc["themes"]:
        for outcome in theme["outcomes"]:
            outcome["measures"] = [m for m in outcome["measures"] if m["code"] != "NT41"]
    return doc


@pytest.fixture
def toms_2025_draft(toms: FrameworkVersion) -> FrameworkVersion:
    """A draft successor to the shipped TOMs."""
    return load_doc(toms_2025_doc())


@pytest.fixture
def toms_2025(toms_2025_draft: FrameworkVersion) -> FrameworkVersion:
    """The successor published, so the shipped 2024 version is retired."""
    return framework_version_publish(version=toms_2025_draft)
