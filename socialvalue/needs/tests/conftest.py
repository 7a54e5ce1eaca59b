"""Local-needs test data: the real shipped data, loaded once per test module.

Loading the 941 LSOAs with their boundaries and 16 domains takes a second or two, so it is
done once per module, inside a transaction that is rolled back when the module is done.
Each test runs in a savepoint within it, as usual, so a test's own changes are undone, and
nothing is left behind for other apps' tests.
"""

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from socialvalue.needs.models import NeedsDataset
from socialvalue.needs.services import needs_data_load


@pytest.fixture(scope="module")
def needs_loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        needs_data_load()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def needs_data(needs_loaded: None, db: None) -> NeedsDataset:
    """The shipped local-needs data, as loaded for this module."""
    return NeedsDataset.objects.get()
