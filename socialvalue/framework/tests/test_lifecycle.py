"""A published version is immutable everywhere; drafts can change; the lifecycle is
draft → published → retired and nothing else."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialvalue.framework.models import (
    FrameworkLocked,
    FrameworkVersion,
    Measure,
    Outcome,
    Theme,
)
from socialvalue.framework.services import (
    FrameworkFileError,
    framework_version_load,
    framework_version_publish,
    framework_version_retire,
)
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc, shipped_doc

LOCKED_2024 = (
    "Framework version lancashire-toms-2024 is published and can no longer be changed. "
    "Create a new draft version instead."
)


def test_it_refuses_to_reload_a_published_version(toms: FrameworkVersion) -> None:
    doc = shipped_doc()
    doc["themes"][0]["outcomes"][0]["measures"][0]["proxy_value"] = "99999.00"
    with pytest.raises(FrameworkFileError) as exc:
        framework_version_load(text=json.dumps(doc))
    assert exc.value.messages == [
        "Framework version lancashire-toms-2024 already exists and is published; it cannot "
        "be replaced. Give the new version its own slug."
    ]
    assert Measure.objects.get(version=toms, code="NT1").proxy_value == Decimal("31285.00")


def test_it_refuses_to_save_a_changed_measure(toms: FrameworkVersion) -> None:
    measure = Measure.objects.get(version=toms, code="NT4")
    measure.proxy_value = Decimal("1.00")
    with pytest.raises(FrameworkLocked) as exc:
        measure.save()
    assert exc.value.messages == [LOCKED_2024]
    assert Measure.objects.get(version=toms, code="NT4").proxy_value == Decimal("15382.90")


def test_it_refuses_to_delete_a_measure(toms: FrameworkVersion) -> None:
    with pytest.raises(FrameworkLocked):
        Measure.objects.get(version=toms, code="NT4").delete()
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_refuses_to_add_a_measure(toms: FrameworkVersion) -> None:
    outcome = Outcome.objects.filter(version=toms).first()
    assert outcome is not None
    with pytest.raises(FrameworkLocked):
        Measure.objects.create(
            version=toms,
            theme=outcome.theme,
            outcome=outcome,
            code="NT99",
            description="Sneaked in",
            unit="Number of weeks",
            value_type="social",
            evidence_required="None.",
        )
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_refuses_to_rename_a_theme_or_outcome(toms: FrameworkVersion) -> None:
    theme = Theme.objects.get(version=toms, slug="economic-prosperity")
    theme.name = "Prosperity"
    with pytest.raises(FrameworkLocked):
        theme.save()
    outcome = Outcome.objects.get(version=toms, name="Reducing inequalities")
    outcome.name = "Fewer inequalities"
    with pytest.raises(FrameworkLocked):
        outcome.save()
    with pytest.raises(FrameworkLocked):
        theme.delete()


def test_it_refuses_queryset_updates_and_deletes(toms: FrameworkVersion) -> None:
    with pytest.raises(FrameworkLocked):
        Measure.objects.filter(version=toms).update(proxy_value=Decimal("2.00"))
    with pytest.raises(FrameworkLocked):
        Measure.objects.filter(version=toms, code="NT41").delete()
    with pytest.raises(FrameworkLocked):
        Theme.objects.filter(version=toms).update(name="Renamed")
    assert Measure.objects.get(version=toms, code="NT1").proxy_value == Decimal("31285.00")
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_refuses_to_change_the_version_itself(toms: FrameworkVersion) -> None:
    toms.name = "Renamed TOMs"
    with pytest.raises(FrameworkLocked):
        toms.save()
    toms.refresh_from_db()
    with pytest.raises(FrameworkLocked):
        toms.delete()
    assert FrameworkVersion.objects.get(slug="lancashire-toms-2024").name == "Lancashire TOMs 2024"


def test_it_refuses_queryset_writes_to_the_version_itself(toms: FrameworkVersion) -> None:
    with pytest.raises(FrameworkLocked):
        FrameworkVersion.objects.filter(pk=toms.pk).update(name="Renamed TOMs")
    with pytest.raises(FrameworkLocked):
        FrameworkVersion.objects.filter(pk=toms.pk).delete()
    toms.refresh_from_db()
    assert toms.name == "Lancashire TOMs 2024"
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_lets_a_draft_be_edited(db: None) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1", "10.00")]))
    measure = Measure.objects.get(version=draft, code="A1")
    measure.proxy_value = Decimal("11.00")
    measure.save()
    Measure.objects.filter(version=draft).update(unit="Number of days")
    draft.name = "Test TOMs, first edition"
    draft.save()
    measure.refresh_from_db()
    assert (measure.proxy_value, measure.unit) == (Decimal("11.00"), "Number of days")
    assert FrameworkVersion.objects.get(slug="test-1").name == "Test TOMs, first edition"


def test_it_replaces_a_draft_loaded_again(db: None) -> None:
    load_doc(framework_doc("test-1", [measure_doc("A1", "10.00")]))
    load_doc(framework_doc("test-1", [measure_doc("A1", "12.00"), measure_doc("A2")]))
    draft = FrameworkVersion.objects.get(slug="test-1")
    assert list(Measure.objects.filter(version=draft).values_list("code", "proxy_value")) == [
        ("A1", Decimal("12.00")),
        ("A2", Decimal("1.00")),
    ]


# --- Lifecycle -----------------------------------------------------------------------------


def test_it_publishes_a_draft(db: None) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1")]))
    assert draft.status == FrameworkVersion.Status.DRAFT
    published = framework_version_publish(version=draft)
    assert published.status == FrameworkVersion.Status.PUBLISHED
    assert published.published_at is not None
    assert published.retired_at is None


def test_it_retires_the_previous_version_when_publishing(db: None) -> None:
    first = load_doc(framework_doc("test-1", [measure_doc("A1")]), publish=True)
    second = load_doc(framework_doc("test-2", [measure_doc("A1")], label="2"))
    assert second.previous == first
    framework_version_publish(version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == FrameworkVersion.Status.RETIRED
    assert first.retired_at == second.published_at
    assert second.status == FrameworkVersion.Status.PUBLISHED


def test_it_retires_a_published_version(db: None) -> None:
    version = load_doc(framework_doc("test-1", [measure_doc("A1")]), publish=True)
    retired = framework_version_retire(version=version)
    assert retired.status == FrameworkVersion.Status.RETIRED
    assert retired.retired_at is not None
    assert Measure.objects.filter(version=retired).count() == 1


def test_it_refuses_to_publish_a_published_version(toms: FrameworkVersion) -> None:
    with pytest.raises(ValidationError) as exc:
        framework_version_publish(version=toms)
    assert exc.value.messages == [
        "Only a draft version can be published; lancashire-toms-2024 is published."
    ]


def test_it_refuses_to_publish_a_retired_version(toms: FrameworkVersion) -> None:
    framework_version_retire(version=toms)
    with pytest.raises(ValidationError) as exc:
        framework_version_publish(version=toms)
    assert exc.value.messages == [
        "Only a draft version can be published; lancashire-toms-2024 is retired."
    ]


def test_it_refuses_to_retire_a_draft(db: None) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1")]))
    with pytest.raises(ValidationError) as exc:
        framework_version_retire(version=draft)
    assert exc.value.messages == ["Only a published version can be retired; test-1 is draft."]
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_it_refuses_to_retire_a_retired_version(toms: FrameworkVersion) -> None:
    framework_version_retire(version=toms)
    with pytest.raises(ValidationError) as exc:
        framework_version_retire(version=toms)
    assert exc.value.messages == [
        "Only a published version can be retired; lancashire-toms-2024 is retired."
    ]


def test_it_refuses_to_publish_an_empty_draft(db: None) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1")]))
    Measure.objects.filter(version=draft).delete()
    with pytest.raises(ValidationError) as exc:
        framework_version_publish(version=draft)
    assert exc.value.messages == ["Version test-1 has no measures and cannot be published."]
