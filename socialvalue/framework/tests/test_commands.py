"""The framework management commands and the loader's validation."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialvalue.framework.models import Framework, FrameworkVersion, Measure
from socialvalue.framework.services import DEFAULT_DATA_FILE
from socialvalue.framework.tests.conftest import (
    framework_doc,
    load_doc,
    measure_doc,
    toms_2025_doc,
)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, doc: object, name: str = "framework.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


# --- load_framework ------------------------------------------------------------------------


def test_it_loads_the_shipped_file_as_a_draft(db: None) -> None:
    out, _ = run("load_framework", str(DEFAULT_DATA_FILE))
    assert out == "Loaded draft lancashire-toms-2024: 4 themes, 20 outcomes, 43 measures.\n"
    version = FrameworkVersion.objects.get(slug="lancashire-toms-2024")
    assert version.status == FrameworkVersion.Status.DRAFT
    assert Measure.objects.filter(version=version).count() == 43


def test_it_replaces_a_draft_when_loading_again(db: None, tmp_path: Path) -> None:
    path = write(tmp_path, framework_doc("test-1", [measure_doc("A1"), measure_doc("A2")]))
    run("load_framework", path)
    out, _ = run("load_framework", path)
    assert out == "Replaced draft test-1: 1 themes, 1 outcomes, 2 measures.\n"
    assert FrameworkVersion.objects.filter(slug="test-1").count() == 1


def test_it_refuses_to_replace_a_published_version_from_the_command(
    toms: FrameworkVersion,
) -> None:
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", str(DEFAULT_DATA_FILE), stdout=StringIO(), stderr=err)
    assert str(exc.value) == (
        f"The file {DEFAULT_DATA_FILE} was refused (1 problem); nothing was saved."
    )
    assert err.getvalue() == (
        "Framework version lancashire-toms-2024 already exists and is published; it cannot be "
        "replaced. Give the new version its own slug.\n"
    )
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_lists_every_problem_in_a_refused_file_and_saves_nothing(
    db: None, tmp_path: Path
) -> None:
    doc = framework_doc(
        "test-1",
        [
            measure_doc("A1", "-5"),
            measure_doc("A2", "ten pounds", unit=""),
            measure_doc("A1", value_type="cultural"),
            measure_doc("A4", evidence_required="  "),
        ],
    )
    doc["version"]["label"] = ""
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", write(tmp_path, doc), stdout=StringIO(), stderr=err)
    assert str(exc.value).endswith("was refused (7 problems); nothing was saved.")
    where = "theme 1, outcome 1, measure"
    assert err.getvalue().splitlines() == [
        "version: 'label' is required.",
        f"{where} A1: proxy_value '-5' must be a non-negative amount in £, or null.",
        f"{where} A2: 'unit' is required.",
        f"{where} A2: proxy_value 'ten pounds' must be a non-negative amount in £, or null.",
        f"{where} A1: measure code A1 appears more than once.",
        f"{where} A1: value_type 'cultural' must be one of economic, social, environmental.",
        f"{where} A4: 'evidence_required' is required.",
    ]
    assert not FrameworkVersion.objects.exists()
    assert not Framework.objects.exists()


def test_it_keeps_the_largest_proxy_and_refuses_more_naming_the_limit(
    db: None, tmp_path: Path
) -> None:
    doc = framework_doc(
        "test-1",
        [
            measure_doc("A1", "100000000000"),
            measure_doc("A2", "1.00005"),
            measure_doc("A3", None, proxy_value=1e300),  # a JSON number
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_framework", write(tmp_path, doc), stdout=StringIO(), stderr=err)
    where = "theme 1, outcome 1, measure"
    assert err.getvalue().splitlines() == [
        f"{where} A1: proxy_value must be £99,999,999,999.9999 or less.",
        f"{where} A2: proxy_value must have at most 4 decimal places.",
        f"{where} A3: proxy_value must be £99,999,999,999.9999 or less.",
    ]
    assert not FrameworkVersion.objects.exists()

    doc = framework_doc("test-1", [measure_doc("A1", "99999999999.9999")])
    call_command("load_framework", write(tmp_path, doc), stdout=StringIO())
    assert Measure.objects.get(code="A1").proxy_value == Decimal("99999999999.9999")


def test_it_refuses_a_file_that_is_not_json(db: None, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": ', encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"\(1 problem\); nothing was saved"):
        call_command("load_framework", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("The file is not valid JSON: ")
    assert not FrameworkVersion.objects.exists()


def test_it_refuses_a_missing_file(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        run("load_framework", str(tmp_path / "nowhere.json"))
    assert str(exc.value) == f"No such file: {tmp_path / 'nowhere.json'}."


def test_it_refuses_an_unknown_previous_version(db: None, tmp_path: Path) -> None:
    path = write(tmp_path, framework_doc("test-1", [measure_doc("A1")]))
    with pytest.raises(CommandError) as exc:
        run("load_framework", path, "--previous", "nope")
    assert str(exc.value) == "There is no framework version with slug nope to follow."
    assert not FrameworkVersion.objects.exists()


def test_it_links_a_new_draft_to_the_version_it_follows(
    toms: FrameworkVersion, tmp_path: Path
) -> None:
    out, _ = run("load_framework", write(tmp_path, toms_2025_doc()))
    assert out == "Loaded draft lancashire-toms-2025: 4 themes, 20 outcomes, 43 measures.\n"
    assert FrameworkVersion.objects.get(slug="lancashire-toms-2025").previous == toms


# --- publish_framework and retire_framework -----------------------------------------------


def test_it_publishes_a_draft_and_retires_the_version_before(
    toms_2025_draft: FrameworkVersion,
) -> None:
    out, _ = run("publish_framework", "lancashire-toms-2025")
    assert out == "Published lancashire-toms-2025; retired lancashire-toms-2024.\n"
    statuses = dict(FrameworkVersion.objects.values_list("slug", "status"))
    assert statuses == {"lancashire-toms-2024": "retired", "lancashire-toms-2025": "published"}


def test_it_publishes_a_first_version(db: None) -> None:
    load_doc(framework_doc("test-1", [measure_doc("A1")]))
    out, _ = run("publish_framework", "test-1")
    assert out == "Published test-1.\n"


def test_it_refuses_to_publish_anything_but_a_draft(toms: FrameworkVersion) -> None:
    with pytest.raises(CommandError) as exc:
        run("publish_framework", "lancashire-toms-2024")
    assert str(exc.value) == (
        "Only a draft version can be published; lancashire-toms-2024 is published."
    )


def test_it_refuses_to_publish_an_unknown_version(db: None) -> None:
    with pytest.raises(CommandError) as exc:
        run("publish_framework", "nope")
    assert str(exc.value) == "There is no framework version with slug nope."


def test_it_retires_a_published_version_from_the_command(toms: FrameworkVersion) -> None:
    out, _ = run("retire_framework", "lancashire-toms-2024")
    assert out.startswith("Retired lancashire-toms-2024 on ")
    toms.refresh_from_db()
    assert toms.status == FrameworkVersion.Status.RETIRED


def test_it_refuses_to_retire_a_draft_from_the_command(db: None) -> None:
    load_doc(framework_doc("test-1", [measure_doc("A1")]))
    with pytest.raises(CommandError) as exc:
        run("retire_framework", "test-1")
    assert str(exc.value) == "Only a published version can be retired; test-1 is draft."
    with pytest.raises(CommandError) as exc:
        run("retire_framework", "nope")
    assert str(exc.value) == "There is no framework version with slug nope."


# --- framework_diff ------------------------------------------------------------------------


@pytest.fixture
def two_versions(db: None) -> tuple[FrameworkVersion, FrameworkVersion]:
    old = load_doc(
        framework_doc(
            "test-1",
            [
                measure_doc("A1", "10.00"),
                measure_doc("A2", "5.50"),
                measure_doc("A3", None),
                measure_doc("A4", "2.00"),
                measure_doc("A7", "31285.00"),
                measure_doc("A8", "0.0125"),
            ],
        ),
        publish=True,
    )
    new = load_doc(
        framework_doc(
            "test-2",
            [
                measure_doc("A1", "12.00"),
                measure_doc("A3", "1.00"),
                measure_doc("A4", "2.00", description="Measure A4, reworded", unit="Per kg"),
                measure_doc("A5", "3.00", description="New measure five"),
                measure_doc("A6", None, description="New measure six"),
                measure_doc("A7", "32000.00"),
                measure_doc("A8", "0.013"),
            ],
            label="2",
        )
    )
    return old, new


def test_it_lists_the_differences_between_two_versions(
    two_versions: tuple[FrameworkVersion, FrameworkVersion],
) -> None:
    out, _ = run("framework_diff", "test-1", "test-2")
    assert out.splitlines() == [
        "Changes from test-1 to test-2",
        "Added measures:",
        "  A5: New measure five",
        "  A6: New measure six",
        "Removed measures:",
        "  A2: Measure A2",
        "Proxy values changed:",
        "  A1: £10.00 → £12.00",
        "  A3: no proxy value → £1.00",
        "  A7: £31,285.00 → £32,000.00",
        "  A8: £0.0125 → £0.013",
        "Wording changed:",
        "  A4: description, unit",
        "2 added, 1 removed, 4 proxies changed, 1 wording change.",
    ]


def test_it_reports_no_differences_between_identical_versions(
    two_versions: tuple[FrameworkVersion, FrameworkVersion],
) -> None:
    out, _ = run("framework_diff", "test-1", "test-1")
    assert out.splitlines() == [
        "Changes from test-1 to test-1",
        "0 added, 0 removed, 0 proxies changed, 0 wording changes.",
    ]


def test_it_refuses_to_diff_an_unknown_version(
    two_versions: tuple[FrameworkVersion, FrameworkVersion],
) -> None:
    with pytest.raises(CommandError) as exc:
        run("framework_diff", "test-1", "nope")
    assert str(exc.value) == "There is no framework version with slug nope."
