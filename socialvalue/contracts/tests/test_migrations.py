"""Migrations that change the return lines table work on a live database, where the
delivered rollup's triggers (insights) are installed and watch that table."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from socialvalue.insights import rollups

BEFORE_LIMITS = ("contracts", "0004_reporting")


@pytest.mark.django_db(transaction=True)
def test_the_decimal_limits_migrate_a_database_with_the_rollup_triggers_installed() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_LIMITS])
    rollups.install()  # as on a database in use
    assert rollups.installed_triggers() == set(rollups.TRIGGERS)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    fresh = MigrationExecutor(connection)
    assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())
    assert rollups.ensure_installed()  # what every migrate ends with (post_migrate)
    assert rollups.installed_triggers() == set(rollups.TRIGGERS)
