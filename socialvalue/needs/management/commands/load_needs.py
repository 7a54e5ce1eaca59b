"""``socialvalue load_needs``: load the local-needs data shipped in ``needs/data/``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.needs.data_files import DATA_DIR, DataFileError
from socialvalue.needs.services import needs_data_load

ERR_REFUSED = "Nothing was loaded: {count} problems in the data files.\n{errors}"


class Command(BaseCommand):
    help = (
        "Load the Lancashire-14 areas, IoD2019 ranks and deciles, boundaries and the North "
        "West and England comparators. All or nothing; does nothing when already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder holding the data files (default: the shipped data).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Reload even when the files are unchanged."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = needs_data_load(data_dir=Path(options["data_dir"]), force=options["force"])
        except DataFileError as exc:
            raise CommandError(
                ERR_REFUSED.format(count=len(exc.errors), errors="\n".join(exc.errors))
            ) from exc
        self.stdout.write(result.summary)
