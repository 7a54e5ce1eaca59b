"""Reading the local-needs data files shipped in ``data/`` (see ``data/SOURCES.md``).

Plain functions with no database access. Every problem is collected with the file and the
line it is on, so a bad file is refused as a whole with one message per row.
"""

import csv
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialvalue.needs.deprivation import ENGLAND_LSOA_COUNT, decile_for_rank, is_high_to_severe
from socialvalue.needs.domains import DOMAIN_KEYS, DOMAINS

DATA_DIR = Path(__file__).resolve().parent / "data"
LSOA_CSV = Path("imd2019") / "iod2019_lsoa_lancashire14.csv"
COMPARATORS_CSV = Path("imd2019") / "iod2019_comparators.csv"
LSOA_GEOJSON = Path("boundaries") / "lancashire14_lsoa2011.geojson"
DISTRICT_GEOJSON = Path("boundaries") / "lancashire14_lad.geojson"
DATA_FILES = (LSOA_CSV, COMPARATORS_CSV, LSOA_GEOJSON, DISTRICT_GEOJSON)

#: The attribution SOURCES.md requires wherever the data is shown, line by line, verbatim.
ATTRIBUTION_LINES = (
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    "English Indices of Deprivation 2019 © Crown copyright (MHCLG).",
    "Contains National Statistics data © Crown copyright and database right 2011–2021.",
    "Contains Ordnance Survey data © Crown copyright and database right 2014–2016.",
    "Boundary GeoJSON conversion: Martin Chorley, https://github.com/martinjc/UK-GeoJSON "
    "(CC BY 4.0).",
)

ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"

ID_COLUMNS = ("lsoa11cd", "lsoa11nm", "lad19cd", "lad19nm", "rgn11cd", "rgn11nm")
IOD_COLUMNS = ID_COLUMNS + tuple(
    column for d in DOMAINS.values() for column in (d.rank_column, d.decile_column)
)
COMPARATOR_COLUMNS = (
    "area_code",
    "area_name",
    "level",
    "domain",
    "lsoa_count",
    "high_to_severe_count",
)
COMPARATOR_LEVELS = ("region", "country")

LSOA_CODE = re.compile(r"^E01\d{6}$")
LAD_CODE = re.compile(r"^E0[6-9]\d{6}$")
REGION_CODE = re.compile(r"^E1[25]\d{6}$")

ERR_MISSING_FILE = "{file}: the file is missing."
ERR_NOT_JSON = "{file}: not valid GeoJSON ({error})."
ERR_MISSING_COLUMNS = "{file}: missing columns: {columns}."
ERR_BAD_CODE = "{file} line {line}: {column} {value!r} is not a valid code."
ERR_EMPTY = "{file} line {line}: {column} is empty."
ERR_NOT_NUMBER = "{file} line {line}: {column} {value!r} is not a whole number."
ERR_RANK_RANGE = "{file} line {line}: {column} {value} is not between 1 and {total}."
ERR_DECILE_MISMATCH = (
    "{file} line {line}: {column} is {decile}, but rank {rank} is in decile {expected}."
)
ERR_DUPLICATE = "{file} line {line}: {code} appears more than once."
ERR_DISTRICT_NAME = "{file} line {line}: district {code} is called {name!r} on an earlier line."
ERR_NO_ROWS = "{file}: there are no data rows."
ERR_BAD_LEVEL = "{file} line {line}: level {value!r} is not one of {levels}."
ERR_BAD_DOMAIN = "{file} line {line}: domain {value!r} is not one of the IoD2019 domains."
ERR_COUNT_RANGE = (
    "{file} line {line}: high_to_severe_count {count} is more than lsoa_count {total}."
)
ERR_FEATURE = "{file} feature {index}: {problem}."
ERR_NO_GEOMETRY = "{file}: no boundary for {code} ({name})."
ERR_EXTRA_GEOMETRY = "{file}: boundary {code} has no deprivation data."
ERR_COMPARATOR_MISSING = "{file}: no {domain} figures for {name} ({code})."


class DataFileError(Exception):
    """One or more data files are wrong; ``errors`` holds one message per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class LsoaRecord:
    code: str
    name: str
    district_code: str
    district_name: str
    region_code: str
    region_name: str
    ranks: dict[str, int]
    deciles: dict[str, int]


@dataclass(frozen=True)
class ComparatorRecord:
    area_code: str
    area_name: str
    level: str
    domain: str
    lsoa_count: int
    high_to_severe_count: int


@dataclass
class NeedsData:
    """Everything the loader stores, read and checked."""

    lsoas: list[LsoaRecord]
    lsoa_geometries: dict[str, dict[str, Any]]
    district_geometries: dict[str, dict[str, Any]]
    comparators: list[ComparatorRecord]
    checksum: str
    districts: dict[str, str] = field(default_factory=dict)  # code → name
    regions: dict[str, str] = field(default_factory=dict)  # code → name


def _whole_number(value: str) -> int | None:
    text = (value or "").strip()
    if not re.fullmatch(r"\d+", text):
        return None
    return int(text)


def parse_iod_rows(
    rows: Iterable[dict[str, str]], *, source: str, errors: list[str]
) -> list[LsoaRecord]:
    """IoD2019 rows (as ``csv.DictReader`` gives them) → records; problems go to ``errors``.

    Line numbers count the header as line 1.
    """
    records: list[LsoaRecord] = []
    seen: set[str] = set()
    district_names: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        row_errors: list[str] = []
        values = {c: (row.get(c) or "").strip() for c in ID_COLUMNS}
        for column, pattern in (
            ("lsoa11cd", LSOA_CODE),
            ("lad19cd", LAD_CODE),
            ("rgn11cd", REGION_CODE),
        ):
            if not pattern.fullmatch(values[column]):
                row_errors.append(
                    ERR_BAD_CODE.format(file=source, line=line, column=column, value=values[column])
                )
        for column in ("lsoa11nm", "lad19nm", "rgn11nm"):
            if not values[column]:
                row_errors.append(ERR_EMPTY.format(file=source, line=line, column=column))
        ranks: dict[str, int] = {}
        deciles: dict[str, int] = {}
        for domain in DOMAINS.values():
            rank = _whole_number(row.get(domain.rank_column, ""))
            decile = _whole_number(row.get(domain.decile_column, ""))
            for column, number in ((domain.rank_column, rank), (domain.decile_column, decile)):
                if number is None:
                    row_errors.append(
                        ERR_NOT_NUMBER.format(
                            file=source, line=line, column=column, value=row.get(column, "")
                        )
                    )
            if rank is None or decile is None:
                continue
            if not 1 <= rank <= ENGLAND_LSOA_COUNT:
                row_errors.append(
                    ERR_RANK_RANGE.format(
                        file=source,
                        line=line,
                        column=domain.rank_column,
                        value=rank,
                        total=ENGLAND_LSOA_COUNT,
                    )
                )
                continue
            expected = decile_for_rank(rank)
            if decile != expected:
                row_errors.append(
                    ERR_DECILE_MISMATCH.format(
                        file=source,
                        line=line,
                        column=domain.decile_column,
                        decile=decile,
                        rank=rank,
                        expected=expected,
                    )
                )
                continue
            ranks[domain.key] = rank
            deciles[domain.key] = decile
        code = values["lsoa11cd"]
        if code in seen:
            row_errors.append(ERR_DUPLICATE.format(file=source, line=line, code=code))
        seen.add(code)
        district, district_name = values["lad19cd"], values["lad19nm"]
        if district_names.setdefault(district, district_name) != district_name:
            row_errors.append(
                ERR_DISTRICT_NAME.format(
                    file=source, line=line, code=district, name=district_names[district]
                )
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        records.append(
            LsoaRecord(
                code=code,
                name=values["lsoa11nm"],
                district_code=district,
                district_name=district_name,
                region_code=values["rgn11cd"],
                region_name=values["rgn11nm"],
                ranks=ranks,
                deciles=deciles,
            )
        )
    if not records and not errors:
        errors.append(ERR_NO_ROWS.format(file=source))
    return records


def comparator_counts(records: Iterable[LsoaRecord]) -> list[ComparatorRecord]:
    """LSOA counts and high-to-severe counts per domain, for each region and for England."""
    names: dict[str, tuple[str, str]] = {ENGLAND_CODE: (ENGLAND_NAME, "country")}
    totals: dict[str, int] = defaultdict(int)
    high: dict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        names.setdefault(record.region_code, (record.region_name, "region"))
        for area in (record.region_code, ENGLAND_CODE):
            totals[area] += 1
            for key, decile in record.deciles.items():
                if is_high_to_severe(decile):
                    high[area, key] += 1
    areas = sorted(names, key=lambda code: (code == ENGLAND_CODE, names[code][0]))
    return [
        ComparatorRecord(
            area_code=code,
            area_name=names[code][0],
            level=names[code][1],
            domain=key,
            lsoa_count=totals[code],
            high_to_severe_count=high[code, key],
        )
        for code in areas
        for key in DOMAIN_KEYS
    ]


def write_comparators(path: Path, records: Iterable[ComparatorRecord]) -> int:
    """Write comparator records as CSV; returns the number of data rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COMPARATOR_COLUMNS)
        for r in records:
            writer.writerow(
                [r.area_code, r.area_name, r.level, r.domain, r.lsoa_count, r.high_to_severe_count]
            )
            count += 1
    return count


def parse_comparator_rows(
    rows: Iterable[dict[str, str]], *, source: str, errors: list[str]
) -> list[ComparatorRecord]:
    records = []
    for line, row in enumerate(rows, start=2):
        row_errors: list[str] = []
        code = (row.get("area_code") or "").strip()
        name = (row.get("area_name") or "").strip()
        level = (row.get("level") or "").strip()
        domain = (row.get("domain") or "").strip()
        if not (REGION_CODE.fullmatch(code) or code == ENGLAND_CODE):
            row_errors.append(
                ERR_BAD_CODE.format(file=source, line=line, column="area_code", value=code)
            )
        if not name:
            row_errors.append(ERR_EMPTY.format(file=source, line=line, column="area_name"))
        if level not in COMPARATOR_LEVELS:
            row_errors.append(
                ERR_BAD_LEVEL.format(
                    file=source, line=line, value=level, levels=", ".join(COMPARATOR_LEVELS)
                )
            )
        if domain not in DOMAINS:
            row_errors.append(ERR_BAD_DOMAIN.format(file=source, line=line, value=domain))
        numbers = {}
        for column in ("lsoa_count", "high_to_severe_count"):
            number = _whole_number(row.get(column, ""))
            if number is None:
                row_errors.append(
                    ERR_NOT_NUMBER.format(
                        file=source, line=line, column=column, value=row.get(column, "")
                    )
                )
            numbers[column] = number or 0
        if numbers["high_to_severe_count"] > numbers["lsoa_count"]:
            row_errors.append(
                ERR_COUNT_RANGE.format(
                    file=source,
                    line=line,
                    count=numbers["high_to_severe_count"],
                    total=numbers["lsoa_count"],
                )
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        records.append(
            ComparatorRecord(
                area_code=code,
                area_name=name,
                level=level,
                domain=domain,
                lsoa_count=numbers["lsoa_count"],
                high_to_severe_count=numbers["high_to_severe_count"],
            )
        )
    return records


def _read_csv(
    path: Path, *, source: str, columns: tuple[str, ...], errors: list[str]
) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(ERR_MISSING_COLUMNS.format(file=source, columns=", ".join(missing)))
            return []
        return list(reader)


def _read_features(
    path: Path, *, source: str, code_property: str, name_property: str, errors: list[str]
) -> dict[str, tuple[str, dict[str, Any]]] | None:
    """GeoJSON features → {code: (name, geometry)}; None when the file cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        errors.append(ERR_NOT_JSON.format(file=source, error=exc))
        return None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        errors.append(ERR_NOT_JSON.format(file=source, error="no features list"))
        return None
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for index, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or not isinstance(geometry, dict):
            errors.append(
                ERR_FEATURE.format(file=source, index=index, problem="no properties or geometry")
            )
            continue
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            errors.append(
                ERR_FEATURE.format(
                    file=source, index=index, problem=f"geometry type {geometry.get('type')!r}"
                )
            )
            continue
        code = str(properties.get(code_property) or "")
        if not code:
            errors.append(
                ERR_FEATURE.format(file=source, index=index, problem=f"no {code_property}")
            )
            continue
        if code in found:
            errors.append(
                ERR_FEATURE.format(file=source, index=index, problem=f"{code} appears twice")
            )
            continue
        found[code] = (str(properties.get(name_property) or ""), geometry)
    return found


def data_checksum(data_dir: Path) -> str:
    """One SHA-256 over the data files the loader reads, so an unchanged set is skipped."""
    digest = hashlib.sha256()
    for relative in DATA_FILES:
        path = data_dir / relative
        digest.update(str(relative).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def read_needs_data(data_dir: Path = DATA_DIR) -> NeedsData:
    """Read and check every data file; raise ``DataFileError`` listing all problems."""
    errors: list[str] = []
    missing = [str(p) for p in DATA_FILES if not (data_dir / p).is_file()]
    if missing:
        raise DataFileError([ERR_MISSING_FILE.format(file=name) for name in missing])

    lsoa_source = str(LSOA_CSV)
    lsoa_rows = _read_csv(
        data_dir / LSOA_CSV, source=lsoa_source, columns=IOD_COLUMNS, errors=errors
    )
    lsoas = parse_iod_rows(lsoa_rows, source=lsoa_source, errors=errors) if lsoa_rows else []

    comparator_source = str(COMPARATORS_CSV)
    comparator_rows = _read_csv(
        data_dir / COMPARATORS_CSV,
        source=comparator_source,
        columns=COMPARATOR_COLUMNS,
        errors=errors,
    )
    comparators = parse_comparator_rows(comparator_rows, source=comparator_source, errors=errors)

    lsoa_features = _read_features(
        data_dir / LSOA_GEOJSON,
        source=str(LSOA_GEOJSON),
        code_property="LSOA11CD",
        name_property="LSOA11NM",
        errors=errors,
    )
    district_features = _read_features(
        data_dir / DISTRICT_GEOJSON,
        source=str(DISTRICT_GEOJSON),
        code_property="LAD19CD",
        name_property="LAD19NM",
        errors=errors,
    )

    districts = {r.district_code: r.district_name for r in lsoas}
    regions = {r.region_code: r.region_name for r in lsoas}
    lsoa_names = {r.code: r.name for r in lsoas}
    if lsoas and lsoa_features is not None:
        for code, name in lsoa_names.items():
            if code not in lsoa_features:
                errors.append(ERR_NO_GEOMETRY.format(file=LSOA_GEOJSON, code=code, name=name))
        for code in lsoa_features.keys() - lsoa_names.keys():
            errors.append(ERR_EXTRA_GEOMETRY.format(file=LSOA_GEOJSON, code=code))
    if lsoas and district_features is not None:
        for code, name in districts.items():
            if code not in district_features:
                errors.append(ERR_NO_GEOMETRY.format(file=DISTRICT_GEOJSON, code=code, name=name))
        for code in district_features.keys() - districts.keys():
            errors.append(ERR_EXTRA_GEOMETRY.format(file=DISTRICT_GEOJSON, code=code))
    if lsoas:
        present = {(c.area_code, c.domain) for c in comparators}
        for code, name in sorted(regions.items()) + [(ENGLAND_CODE, ENGLAND_NAME)]:
            for key in DOMAIN_KEYS:
                if (code, key) not in present:
                    errors.append(
                        ERR_COMPARATOR_MISSING.format(
                            file=comparator_source, domain=key, name=name, code=code
                        )
                    )
    if errors or lsoa_features is None or district_features is None:
        raise DataFileError(errors)
    return NeedsData(
        lsoas=lsoas,
        lsoa_geometries={code: geometry for code, (_, geometry) in lsoa_features.items()},
        district_geometries={code: geometry for code, (_, geometry) in district_features.items()},
        comparators=comparators,
        checksum=data_checksum(data_dir),
        districts=districts,
        regions=regions,
    )
