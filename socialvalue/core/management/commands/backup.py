"""Back up the database and the uploaded files into a directory, with a verifiable manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from socialvalue.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup), the public uploaded files "
        "(MEDIA_ROOT) and the private evidence files (PRIVATE_MEDIA_ROOT) into DIR, with a "
        "manifest.json giving every table's rows and every file's size and SHA-256. Safe while "
        "the service runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", help="A new or empty directory.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an earlier backup in DIR (a directory holding anything else is "
            "still refused).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        try:
            manifest = backup_create(
                directory=directory, force=options["force"], using=options["database"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {directory.resolve()}: {manifest.summary()}.")
