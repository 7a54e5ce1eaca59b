"""Restore the database and the uploaded files from a backup made by ``socialvalue backup``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from socialvalue.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `socialvalue backup`: every file is checked against the "
        "manifest first, and the restored rows and files afterwards. Refuses a database or "
        "file storage that already holds data unless --force is given. Stop the service "
        "while restoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="The backup directory.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything: the database's tables and rows and the files in "
            "MEDIA_ROOT and PRIVATE_MEDIA_ROOT become the backup's, and anything not in the "
            "backup is deleted.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        try:
            result = backup_restore(
                directory=directory, force=options["force"], using=options["database"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        pending = result.pending_migrations
        migrate = ""
        if pending:
            noun = (
                "migration of this version is" if pending == 1 else "migrations of this version are"
            )
            migrate = f" {pending} {noun} not applied yet: run `socialvalue migrate`."
        self.stdout.write(
            f"Restored from {directory.resolve()}: {result.manifest.summary()}, "
            f"all verified.{migrate}"
        )
