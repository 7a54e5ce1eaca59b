"""The bounded XLSX reader: what a file claims never sets what reading it costs."""

import time
from datetime import datetime
from typing import Any

import pytest

from socialvalue.core.tests.xlsx_files import (
    entity_bomb,
    many_parts,
    padded_sheet,
    rewrite_parts,
    understated_sheet,
    unknown_zip_version,
    whole_sheet_dimension,
    workbook_bytes,
)
from socialvalue.core.xlsx_reader import (
    ERR_DAMAGED,
    XlsxDamaged,
    XlsxLimits,
    XlsxTooBig,
    XlsxTooManyRows,
    check_archive,
    first_rows,
    open_workbook,
    sheet_rows,
)

MB = 1024 * 1024
LIMITS = XlsxLimits(
    max_file_bytes=5 * MB, max_unpacked_bytes=20 * MB, max_sheet_bytes=12 * MB, max_part_bytes=MB
)


def _rows(data: bytes, **kwargs: Any) -> list[tuple[object, ...]]:
    with open_workbook(data, LIMITS) as workbook:
        return list(sheet_rows(workbook.worksheets[0], **kwargs))


def test_it_reads_the_first_columns_of_each_row() -> None:
    data = workbook_bytes([["code", "quantity", "notes"], ["NT1", 2.5, "x"], ["NT4", 3, None]])
    assert _rows(data, columns=2, max_rows=10) == [("code", "quantity"), ("NT1", 2.5), ("NT4", 3)]
    assert _rows(data, columns=4, max_rows=10)[1] == ("NT1", 2.5, "x", None)


def test_it_reads_a_formula_as_its_text_when_asked() -> None:
    data = workbook_bytes([["=2*3"]])
    with open_workbook(data, LIMITS, data_only=False) as workbook:
        assert list(sheet_rows(workbook.active, columns=1, max_rows=5)) == [("=2*3",)]
    with open_workbook(data, LIMITS) as workbook:  # no value calculated yet
        assert list(sheet_rows(workbook.active, columns=1, max_rows=5)) == [(None,)]


def test_it_returns_blank_rows_in_their_place() -> None:
    data = workbook_bytes([["a"], [None], ["  "], ["b"]])
    assert _rows(data, columns=1, max_rows=10) == [("a",), (None,), ("  ",), ("b",)]


def test_it_ignores_the_declared_dimension_and_stops_after_a_run_of_blank_rows() -> None:
    data = whole_sheet_dimension(workbook_bytes([["code", "quantity"], ["NT1", 2]]))
    started = time.monotonic()
    rows = _rows(data, columns=3, max_rows=100, blank_rows_end=50)
    assert time.monotonic() - started < 1
    # Two rows, then 49 blank ones: the 50th blank row ends the sheet, so the value in
    # the sheet's very last cell (row 1,048,576, column 16,384) is never reached.
    assert rows[:2] == [("code", "quantity", None), ("NT1", 2, None)]
    assert rows[2:] == [(None, None, None)] * 49


def test_it_refuses_a_value_beyond_the_row_limit() -> None:
    data = workbook_bytes([["heading"], *[[n] for n in range(1, 11)]])
    assert len(_rows(data, columns=1, max_rows=11)) == 11
    with pytest.raises(XlsxTooManyRows) as caught:
        _rows(data, columns=1, max_rows=10)
    assert (caught.value.sheet, caught.value.limit, caught.value.row) == ("Sheet", 10, 11)
    assert caught.value.message == (
        "The 'Sheet' sheet has more than 10 rows; split it into smaller files, or delete the "
        "rows below your data."
    )


def test_it_does_not_count_blank_rows_beyond_the_row_limit() -> None:
    data = workbook_bytes([["a"], ["b"], [None], [None]])
    assert _rows(data, columns=1, max_rows=2) == [("a",), ("b",), (None,), (None,)]


def test_it_reads_the_first_rows_only() -> None:
    data = whole_sheet_dimension(workbook_bytes([["key", "value", "x"], ["id", 7]]))
    with open_workbook(data, LIMITS) as workbook:
        assert first_rows(workbook.active, columns=2, count=3) == [
            ("key", "value"),
            ("id", 7),
            (None, None),
        ]


def test_it_reads_dates_as_dates() -> None:
    data = workbook_bytes([[datetime(2025, 3, 31, 0, 0)]])
    assert _rows(data, columns=1, max_rows=5) == [(datetime(2025, 3, 31, 0, 0),)]


# --- Refusing a file before reading it --------------------------------------------------------


def test_it_refuses_a_file_over_the_size_limit() -> None:
    small = XlsxLimits(
        max_file_bytes=1000, max_unpacked_bytes=MB, max_sheet_bytes=MB, max_part_bytes=MB
    )
    with pytest.raises(XlsxTooBig) as caught:
        check_archive(workbook_bytes([["a"]]), small)
    assert caught.value.message == "The file is larger than 1 KB; split it into smaller files."


def test_it_refuses_a_zip_bomb() -> None:
    data = padded_sheet(workbook_bytes([["a"]]), megabytes=13)
    assert len(data) < 100_000
    started = time.monotonic()
    with pytest.raises(XlsxTooBig) as caught:
        check_archive(data, LIMITS)
    assert time.monotonic() - started < 0.1
    assert caught.value.message == (
        "The Excel workbook holds too much data to read: unpacked, it is more than 20 MB. "
        "Split it into smaller files, or delete what the upload does not need."
    )


def test_it_refuses_a_part_packed_suspiciously_tightly() -> None:
    data = padded_sheet(workbook_bytes([["a"]]), megabytes=2)
    with pytest.raises(XlsxTooBig) as caught:
        check_archive(data, LIMITS)
    assert caught.value.message == (
        "The Excel workbook cannot be read safely: a part of it unpacks to more than 100 "
        "times its packed size. Open it in your spreadsheet program, save it again as .xlsx "
        "and upload it."
    )


def test_it_refuses_a_total_over_the_limit_even_when_each_part_is_under_it() -> None:
    two_sheets = XlsxLimits(
        max_file_bytes=5 * MB,
        max_unpacked_bytes=MB,
        max_sheet_bytes=MB,
        max_part_bytes=MB,
        max_ratio=10_000,
    )
    data = padded_sheet(workbook_bytes([["a"]]), megabytes=1)  # the sheet: just over 1 MB
    with pytest.raises(XlsxTooBig):
        check_archive(data, two_sheets)


def test_it_refuses_too_many_parts() -> None:
    with pytest.raises(XlsxTooBig) as caught:
        check_archive(many_parts(workbook_bytes([["a"]]), 1000), LIMITS)
    assert caught.value.message == (
        "The Excel workbook has more than 1,000 parts (sheets, images and the like); copy "
        "what you need into a new workbook and upload that."
    )


def test_it_refuses_entities_that_expand_to_a_billion_characters() -> None:
    started = time.monotonic()
    with pytest.raises(XlsxDamaged), open_workbook(entity_bomb(workbook_bytes([["a"]])), LIMITS):
        pass
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04 not really",
        b"%PDF-1.7",
        unknown_zip_version(workbook_bytes([["a"]])),
    ],
    ids=["empty", "zip-like", "pdf", "unknown-zip-version"],
)
def test_it_refuses_a_file_that_is_not_a_workbook(data: bytes) -> None:
    with pytest.raises(XlsxDamaged) as caught, open_workbook(data, LIMITS):
        pass
    assert caught.value.message == ERR_DAMAGED


def test_it_refuses_a_sheet_it_cannot_parse() -> None:
    def break_sheet(name: str, content: bytes) -> bytes:
        return content.replace(b"</sheetData>", b"<row><c>") if "worksheets" in name else content

    data = rewrite_parts(workbook_bytes([["a"], ["b"]]), break_sheet)
    with pytest.raises(XlsxDamaged):
        _rows(data, columns=1, max_rows=5)


def test_it_never_unpacks_more_than_a_part_declares() -> None:
    # The sheet really holds 13 MB of spaces but claims 100 bytes: reading stops at 100
    # bytes and the part fails its checksum.
    data = understated_sheet(padded_sheet(workbook_bytes([["a"]]), megabytes=13))
    check_archive(data, LIMITS)
    with pytest.raises(XlsxDamaged):
        _rows(data, columns=1, max_rows=5)
