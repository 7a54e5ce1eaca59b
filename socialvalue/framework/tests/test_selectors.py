"""Reads of the framework used by the pages, downloads and API."""

from decimal import Decimal

import pytest

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.selectors import (
    framework_version_current,
    measure_examples_split,
    proxy_value_text,
)
from socialvalue.framework.services import framework_version_retire
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc


def test_it_splits_examples_into_what_counts_and_what_does_not() -> None:
    examples = measure_examples_split(
        "- Hiring a local apprentice.\n"
        "- Keeping two local staff\n"
        "  for the whole contract.\n"
        "\n"
        "- Does not count: staff who live outside Lancashire.\n"
        "- does not count:   agency staff."
    )
    assert examples.counts == [
        "Hiring a local apprentice.",
        "Keeping two local staff for the whole contract.",
    ]
    assert examples.does_not_count == ["Staff who live outside Lancashire.", "Agency staff."]


def test_it_treats_examples_without_dashes_as_one_example() -> None:
    examples = measure_examples_split("A plain sentence.")
    assert examples.counts == ["A plain sentence."]
    assert examples.does_not_count == []
    assert not measure_examples_split("")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("31285.0000"), "31285.00"),
        (Decimal("0.06"), "0.06"),
        (Decimal("0.0125"), "0.0125"),
        (None, None),
    ],
)
def test_it_writes_proxy_values_as_the_data_file_does(
    value: Decimal | None, text: str | None
) -> None:
    assert proxy_value_text(value) == text


def test_it_finds_the_current_version(toms: FrameworkVersion) -> None:
    assert framework_version_current() == toms


def test_it_moves_the_current_version_on_when_the_default_is_retired(
    toms_2025: FrameworkVersion,
) -> None:
    assert framework_version_current() == toms_2025
    assert framework_version_current("lancashire-toms-2024") == FrameworkVersion.objects.get(
        slug="lancashire-toms-2024"
    )


def test_it_falls_back_to_a_retired_default_when_nothing_is_published(
    toms: FrameworkVersion,
) -> None:
    framework_version_retire(version=toms)
    assert framework_version_current() == toms


def test_it_ignores_drafts_for_the_current_version(db: None) -> None:
    load_doc(framework_doc("test-1", [measure_doc("A1")]))
    assert framework_version_current() is None
