"""The shipped data files: present, unchanged from their sources, and checked when read."""

import csv
import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socialvalue.needs.data_files import (
    ATTRIBUTION_LINES,
    DATA_DIR,
    ENGLAND_CODE,
    LsoaRecord,
    comparator_counts,
    parse_comparator_rows,
    parse_iod_rows,
    read_needs_data,
)
from socialvalue.needs.domains import DOMAINS

# sha256 of each file as listed in SOURCES.md.
SOURCE_HASHES = {
    "imd2019/iod2019_lsoa_lancashire14.csv": (
        "0f2cd154cf2da2c58d150869a06fba7eafc68e942901ff3d67c2f70887b902e4"
    ),
    "boundaries/lancashire14_lsoa2011.geojson": (
        "bd3fc0fb0e7dee4db5b345a3dd6faafce54d520c29063abd2030846f7c6a4560"
    ),
    "boundaries/lancashire14_lad.geojson": (
        "f5e13a80b035ab65e852d64355fbc5e4dd1e0ca678f2f65b48652de674355b50"
    ),
    "postcode_district_to_lad_lancashire.csv": (
        "09f19916dabb0564d64847a85627a9cc8bd327aedd3b55468ef8a57967ab53f1"
    ),
}


@pytest.mark.parametrize(("name", "sha256"), SOURCE_HASHES.items())
def test_it_ships_the_files_exactly_as_sources_lists_them(name: str, sha256: str) -> None:
    assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == sha256


def test_it_shows_the_attribution_sources_requires_word_for_word() -> None:
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    required = [line.removeprefix("> ") for line in sources.splitlines() if line.startswith("> ")]
    assert list(ATTRIBUTION_LINES) == required


def test_it_reads_the_shipped_data() -> None:
    data = read_needs_data()
    assert len(data.lsoas) == 941
    assert len(data.districts) == 14
    assert data.districts["E07000117"] == "Burnley"
    assert data.regions == {"E12000002": "North West"}
    assert len(data.lsoa_geometries) == 941
    assert len(data.district_geometries) == 14
    # 9 regions and England, 16 domains each.
    assert len(data.comparators) == 160
    north_west = {c.domain: c for c in data.comparators if c.area_code == "E12000002"}
    assert (north_west["outdoors"].high_to_severe_count, north_west["outdoors"].lsoa_count) == (
        918,
        4497,
    )
    england = {c.domain: c for c in data.comparators if c.area_code == ENGLAND_CODE}
    assert england["employment"].lsoa_count == 32844
    assert england["employment"].high_to_severe_count == 9853


def _row(**overrides: str) -> dict[str, str]:
    row = {
        "lsoa11cd": "E01000001",
        "lsoa11nm": "Somewhere 001A",
        "lad19cd": "E07000117",
        "lad19nm": "Burnley",
        "rgn11cd": "E12000002",
        "rgn11nm": "North West",
    }
    for domain in DOMAINS.values():
        row[domain.rank_column] = "100"
        row[domain.decile_column] = "1"
    row.update(overrides)
    return row


def test_it_reads_a_good_row() -> None:
    errors: list[str] = []
    records = parse_iod_rows(
        [_row(employment_rank="20000", employment_decile="7")], source="t.csv", errors=errors
    )
    assert errors == []
    assert records[0].deciles["employment"] == 7
    assert records[0].ranks["employment"] == 20000
    assert records[0].district_name == "Burnley"


def test_it_lists_every_problem_with_its_line() -> None:
    errors: list[str] = []
    rows = [
        _row(),
        _row(lsoa11cd="E01000001"),
        _row(lsoa11cd="X1", income_rank="abc"),
        _row(lsoa11cd="E01000003", health_rank="40000"),
        _row(lsoa11cd="E01000004", crime_rank="20000", crime_decile="2"),
        _row(lsoa11cd="E01000005", lad19nm="Burnly"),
    ]
    records = parse_iod_rows(rows, source="t.csv", errors=errors)
    assert [r.code for r in records] == ["E01000001"]
    assert errors == [
        "t.csv line 3: E01000001 appears more than once.",
        "t.csv line 4: lsoa11cd 'X1' is not a valid code.",
        "t.csv line 4: income_rank 'abc' is not a whole number.",
        "t.csv line 5: health_rank 40000 is not between 1 and 32844.",
        "t.csv line 6: crime_decile is 2, but rank 20000 is in decile 7.",
        "t.csv line 7: district E07000117 is called 'Burnley' on an earlier line.",
    ]


def test_it_refuses_comparator_rows_that_do_not_add_up() -> None:
    errors: list[str] = []
    text = (
        "area_code,area_name,level,domain,lsoa_count,high_to_severe_count\n"
        "E12000002,North West,region,outdoors,4497,918\n"
        "E12000002,North West,town,sunshine,10,11\n"
    )
    records = parse_comparator_rows(
        csv.DictReader(io.StringIO(text)), source="c.csv", errors=errors
    )
    assert len(records) == 1
    assert errors == [
        "c.csv line 3: level 'town' is not one of region, country.",
        "c.csv line 3: domain 'sunshine' is not one of the IoD2019 domains.",
        "c.csv line 3: high_to_severe_count 11 is more than lsoa_count 10.",
    ]


def _record(code: str, region: str, decile: int) -> LsoaRecord:
    return LsoaRecord(
        code=code,
        name=code,
        district_code="E07000117",
        district_name="Burnley",
        region_code=region,
        region_name={"E12000002": "North West", "E12000001": "North East"}[region],
        ranks=dict.fromkeys(DOMAINS, 1),
        deciles=dict.fromkeys(DOMAINS, decile),
    )


def test_it_counts_the_comparators_per_region_and_for_england() -> None:
    records = [
        _record("E01000001", "E12000002", 1),
        _record("E01000002", "E12000002", 3),
        _record("E01000003", "E12000002", 4),
        _record("E01000004", "E12000001", 2),
    ]
    counts = {(c.area_name, c.domain): c for c in comparator_counts(records)}
    assert len(counts) == 3 * 16
    north_west = counts["North West", "income"]
    assert (north_west.lsoa_count, north_west.high_to_severe_count, north_west.level) == (
        3,
        2,
        "region",
    )
    england = counts["England", "income"]
    assert (england.area_code, england.lsoa_count, england.high_to_severe_count) == (
        "E92000001",
        4,
        3,
    )
    assert england.level == "country"


def test_it_refuses_to_build_comparators_from_less_than_england(tmp_path: Path) -> None:
    source = tmp_path / "england.csv"
    rows = [_row(lsoa11cd=f"E0100000{i}") for i in range(3)]
    with source.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    output = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="has 3 LSOAs; the England table has 32844"):
        call_command("build_needs_comparators", str(source), output=str(output))
    assert not output.exists()


def test_it_refuses_a_missing_england_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("build_needs_comparators", str(tmp_path / "nope.csv.gz"))
