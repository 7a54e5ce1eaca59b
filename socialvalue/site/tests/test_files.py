"""Telling what an upload really is from its contents (no database)."""

import io

import pytest

from socialvalue.core.tests.xlsx_files import unknown_zip_version
from socialvalue.core.uploads import human_size
from socialvalue.site.files import (
    ERR_FILE_EMPTY,
    ERR_FILE_TOO_BIG,
    ERR_FILE_TYPE,
    FileCheckError,
    check_upload,
    sniff_file_type,
)
from socialvalue.site.tests.conftest import PDF_BYTES, office_bytes

WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, "pdf"),
        (office_bytes("word/document.xml"), "docx"),
        (office_bytes("xl/workbook.xml"), "xlsx"),
        (office_bytes("ppt/presentation.xml"), "pptx"),
        (b"Measure,Quantity\r\nNT1,2\r\n", "csv"),
        ("District,Note\nPendle,Café £5\n".encode(), "csv"),
        ("District,Note\nPendle,Café £5\n".encode("cp1252"), "csv"),
        (WINDOWS_EXE, None),
        (LINUX_ELF, None),
        (b"PK\x03\x04 not really a zip", None),
        (office_bytes("content.xml"), None),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, None),
        (b"   \n  ", None),
    ],
)
def test_it_tells_the_type_from_the_contents(content: bytes, expected: str | None) -> None:
    assert sniff_file_type(io.BytesIO(content)) == expected


def test_it_reads_a_long_csv_cut_halfway_through_a_character() -> None:
    # The sample is the first 64 KB: here it ends between the two bytes of "é".
    content = b"a" * (64 * 1024 - 1) + "é\n".encode()

    assert sniff_file_type(io.BytesIO(content)) == "csv"


def test_it_leaves_the_stream_at_the_start() -> None:
    stream = io.BytesIO(PDF_BYTES)
    sniff_file_type(stream)
    assert stream.tell() == 0


def test_it_refuses_an_executable_renamed_as_a_pdf() -> None:
    with pytest.raises(FileCheckError) as error:
        check_upload(name="guide.pdf", size=len(WINDOWS_EXE), stream=io.BytesIO(WINDOWS_EXE))
    assert str(error.value) == ERR_FILE_TYPE


def test_it_refuses_a_word_file_named_as_a_pdf() -> None:
    content = office_bytes("word/document.xml")
    with pytest.raises(FileCheckError) as error:
        check_upload(name="plan.pdf", size=len(content), stream=io.BytesIO(content))
    assert str(error.value) == (
        "The selected file is a Word (DOCX) file but its name ends in “.pdf”. "
        "Rename it to end in “.docx” and choose it again."
    )


def test_it_refuses_empty_and_oversize_files() -> None:
    with pytest.raises(FileCheckError, match=ERR_FILE_EMPTY):
        check_upload(name="a.pdf", size=0, stream=io.BytesIO(b""))
    with pytest.raises(FileCheckError, match=ERR_FILE_TOO_BIG):
        check_upload(name="a.pdf", size=20 * 1024 * 1024 + 1, stream=io.BytesIO(PDF_BYTES))


def test_it_accepts_a_file_of_exactly_20_mb() -> None:
    assert check_upload(name="A.PDF", size=20 * 1024 * 1024, stream=io.BytesIO(PDF_BYTES)) == "pdf"


@pytest.mark.parametrize(
    ("size", "expected"),
    [(850, "850 bytes"), (1024, "1 KB"), (12_800, "12 KB"), (1_468_006, "1.4 MB")],
)
def test_it_shows_sizes_as_people_read_them(size: int, expected: str) -> None:
    assert human_size(size) == expected


def test_it_does_not_take_an_archive_in_an_unknown_zip_format_for_an_office_file() -> None:
    content = unknown_zip_version(office_bytes("xl/workbook.xml"))
    assert sniff_file_type(io.BytesIO(content)) is None
