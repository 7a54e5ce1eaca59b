"""``socialvalue build_needs_comparators ENGLAND_FILE``: rebuild the region and England
comparator counts shipped in ``needs/data/imd2019/iod2019_comparators.csv``.

The input is the England-wide IoD2019 table described in ``needs/data/SOURCES.md``
(``iod2019_lsoa_england.csv.gz``, 32,844 LSOAs, gzip or plain CSV). It is too large to ship,
so only these counts are kept: per region and for England, per domain, the number of LSOAs
and the number in national deciles 1 to 3.
"""

import csv
import gzip
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.needs.data_files import (
    COMPARATORS_CSV,
    DATA_DIR,
    ENGLAND_CODE,
    IOD_COLUMNS,
    comparator_counts,
    parse_iod_rows,
    write_comparators,
)
from socialvalue.needs.deprivation import ENGLAND_LSOA_COUNT

ERR_NO_FILE = "There is no file at {path}."
ERR_COLUMNS = "{path} is missing columns: {columns}."
ERR_ROWS = "{path} has {count} problems, nothing was written. The first ones:\n{errors}"
ERR_NOT_ENGLAND = "{path} has {count} LSOAs; the England table has {expected}."
SHOWN_ERRORS = 20


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


class Command(BaseCommand):
    help = (
        "Count, per region and for England, the LSOAs in national deciles 1-3 of each IoD2019 "
        "domain, from the England-wide table, and write the comparators file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("england_file", type=Path, help="iod2019_lsoa_england.csv(.gz)")
        parser.add_argument(
            "--output",
            type=Path,
            default=DATA_DIR / COMPARATORS_CSV,
            help="Where to write the counts (default: the shipped comparators file).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["england_file"])
        if not path.is_file():
            raise CommandError(ERR_NO_FILE.format(path=path))
        try:
            with _open(path) as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in IOD_COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(ERR_COLUMNS.format(path=path, columns=", ".join(missing)))
                errors: list[str] = []
                records = parse_iod_rows(reader, source=path.name, errors=errors)
        except (OSError, UnicodeDecodeError, csv.Error, gzip.BadGzipFile) as exc:
            raise CommandError(f"{path} could not be read: {exc}") from exc
        if errors:
            shown = "\n".join(errors[:SHOWN_ERRORS])
            raise CommandError(ERR_ROWS.format(path=path, count=len(errors), errors=shown))
        if len(records) != ENGLAND_LSOA_COUNT:
            raise CommandError(
                ERR_NOT_ENGLAND.format(path=path, count=len(records), expected=ENGLAND_LSOA_COUNT)
            )
        counts = comparator_counts(records)
        output = Path(options["output"])
        rows = write_comparators(output, counts)
        areas = len({c.area_code for c in counts if c.area_code != ENGLAND_CODE})
        self.stdout.write(
            f"Wrote {rows} rows to {output}: {areas} regions and England, "
            f"from {len(records):,} LSOAs."
        )
