"""Loading the local-needs data, and the lead's measure ↔ need links."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.needs.data_files import DATA_DIR, DataFileError
from socialvalue.needs.models import (
    Area,
    AreaDeprivation,
    ComparatorCount,
    MeasureNeedLink,
    NeedsDataset,
)
from socialvalue.needs.services import (
    DEFAULT_LINKS,
    ERR_LINK_EXISTS,
    ERR_UNKNOWN_DOMAIN,
    ERR_UNKNOWN_MEASURE,
    measure_need_link_create,
    measure_need_link_delete,
    needs_data_load,
)

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int, int]:
    return (
        Area.objects.filter(level=Area.Level.COUNTRY).count(),
        Area.objects.filter(level=Area.Level.REGION).count(),
        Area.objects.filter(level=Area.Level.DISTRICT).count(),
        Area.objects.filter(level=Area.Level.LSOA).count(),
        AreaDeprivation.objects.count(),
        ComparatorCount.objects.count(),
    )


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def empty_everything() -> None:
    Area.objects.all().delete()
    NeedsDataset.objects.all().delete()
    MeasureNeedLink.objects.all().delete()


def test_it_loads_fourteen_districts_and_941_lsoas(needs_data: NeedsDataset) -> None:
    # England, 9 regions, 14 districts, 941 LSOAs with 16 domains each, 10 × 16 comparators.
    assert counts() == (1, 9, 14, 941, 941 * 16, 160)
    burnley = Area.objects.get(code="E07000117")
    assert burnley.name == "Burnley"
    assert burnley.parent is not None
    assert burnley.parent.name == "North West"
    assert burnley.children.count() == 60
    assert burnley.geometry is not None
    assert burnley.geometry["type"] == "Polygon"


def test_it_loads_into_an_empty_database_with_the_default_links() -> None:
    empty_everything()
    result = needs_data_load()
    assert result.loaded
    assert result.summary == (
        "Loaded local-needs data: 14 districts, 941 LSOAs, 10 comparator areas, "
        "53 default measure links added."
    )
    assert counts() == (1, 9, 14, 941, 941 * 16, 160)
    assert MeasureNeedLink.objects.count() == 53


def test_it_is_idempotent(needs_data: NeedsDataset) -> None:
    before = counts()
    links = MeasureNeedLink.objects.count()
    result = needs_data_load()
    assert not result.loaded
    assert result.summary == "Local-needs data already loaded (14 districts, 941 LSOAs)."
    assert counts() == before
    assert MeasureNeedLink.objects.count() == links
    assert NeedsDataset.objects.get().loaded_at == needs_data.loaded_at


def test_it_keeps_the_leads_link_changes_when_reloaded(
    needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    MeasureNeedLink.objects.filter(measure_code="NT1").delete()
    measure_need_link_create(measure_code="NT50", domain="employment")
    result = needs_data_load(force=True)
    assert result.loaded
    assert result.links_added == 0
    assert not MeasureNeedLink.objects.filter(measure_code="NT1").exists()
    assert MeasureNeedLink.objects.filter(measure_code="NT50", domain="employment").exists()
    assert counts() == (1, 9, 14, 941, 941 * 16, 160)


def test_it_loads_nothing_from_a_bad_file(needs_data: NeedsDataset, tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    csv_path = data_dir / "imd2019" / "iod2019_lsoa_lancashire14.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("E01012572,", "E0101257X,", 1)
    lines[5] = lines[5].replace(",E06000008,", ",,", 1)
    csv_path.write_text("".join(lines), encoding="utf-8")
    before = counts()
    with pytest.raises(DataFileError) as caught:
        needs_data_load(data_dir=data_dir, force=True)
    errors = caught.value.errors
    assert (
        "imd2019/iod2019_lsoa_lancashire14.csv line 3: lsoa11cd 'E0101257X' is not a valid code."
        in errors
    )
    assert "imd2019/iod2019_lsoa_lancashire14.csv line 6: lad19cd '' is not a valid code." in errors
    assert counts() == before
    assert NeedsDataset.objects.get().checksum == needs_data.checksum


def test_it_refuses_boundaries_that_do_not_match_the_areas(
    needs_data: NeedsDataset, tmp_path: Path
) -> None:
    data_dir = copy_data(tmp_path)
    path = data_dir / "boundaries" / "lancashire14_lsoa2011.geojson"
    path.write_text(path.read_text().replace('"E01012571"', '"E01999999"', 1))
    with pytest.raises(DataFileError) as caught:
        needs_data_load(data_dir=data_dir)
    assert sorted(caught.value.errors) == [
        "boundaries/lancashire14_lsoa2011.geojson: boundary E01999999 has no deprivation data.",
        "boundaries/lancashire14_lsoa2011.geojson: no boundary for E01012571 "
        "(Blackburn with Darwen 007A).",
    ]


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    (data_dir / "imd2019" / "iod2019_comparators.csv").unlink()
    with pytest.raises(DataFileError) as caught:
        needs_data_load(data_dir=data_dir)
    assert caught.value.errors == ["imd2019/iod2019_comparators.csv: the file is missing."]


def test_it_loads_from_the_command_line(needs_data: NeedsDataset) -> None:
    out = StringIO()
    call_command("load_needs", stdout=out)
    assert out.getvalue() == "Local-needs data already loaded (14 districts, 941 LSOAs).\n"


def test_it_reports_bad_data_from_the_command_line(tmp_path: Path) -> None:
    data_dir = copy_data(tmp_path)
    (data_dir / "boundaries" / "lancashire14_lad.geojson").write_text("{not json")
    with pytest.raises(CommandError, match="Nothing was loaded: 1 problems"):
        call_command("load_needs", data_dir=str(data_dir))


def test_it_links_only_measures_of_the_framework(toms: FrameworkVersion) -> None:
    shipped = set(Measure.objects.filter(version=toms).values_list("code", flat=True))
    assert set(DEFAULT_LINKS) <= shipped


def test_it_links_a_measure_to_a_need(toms: FrameworkVersion, lead_lucy: User) -> None:
    link = measure_need_link_create(
        measure_code=" NT50 ", domain="adult_skills", note="Local skills.", user=lead_lucy
    )
    assert (link.measure_code, link.domain, link.note, link.created_by) == (
        "NT50",
        "adult_skills",
        "Local skills.",
        lead_lucy,
    )
    assert link.history.count() == 1


def test_it_refuses_a_link_twice(needs_data: NeedsDataset, toms: FrameworkVersion) -> None:
    with pytest.raises(ValidationError) as caught:
        measure_need_link_create(measure_code="NT1", domain="employment")
    assert caught.value.message_dict == {
        "domain": [ERR_LINK_EXISTS.format(code="NT1", domain="employment domain")]
    }
    assert caught.value.message_dict["domain"] == [
        "NT1 is already linked to the employment domain."
    ]


def test_it_refuses_unknown_measures_and_needs(toms: FrameworkVersion) -> None:
    before = MeasureNeedLink.objects.count()
    with pytest.raises(ValidationError) as caught:
        measure_need_link_create(measure_code="NT999", domain="happiness")
    assert caught.value.message_dict == {
        "measure_code": [ERR_UNKNOWN_MEASURE.format(code="NT999")],
        "domain": [ERR_UNKNOWN_DOMAIN],
    }
    assert MeasureNeedLink.objects.count() == before


def test_it_removes_a_link_and_keeps_its_history(
    needs_data: NeedsDataset, toms: FrameworkVersion
) -> None:
    link = MeasureNeedLink.objects.get(measure_code="NT26", domain="health")
    measure_need_link_delete(link=link)
    assert not MeasureNeedLink.objects.filter(measure_code="NT26").exists()
    assert MeasureNeedLink.history.filter(measure_code="NT26", history_type="-").count() == 1
