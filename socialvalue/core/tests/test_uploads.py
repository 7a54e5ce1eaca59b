"""Upload checking: the type from the contents, the size limit from settings, the name
matching the type, and why a file is refused."""

import io
import zipfile

import pytest
from django.test import override_settings

from socialvalue.core.uploads import (
    CSV,
    DOCX,
    EMPTY,
    JPEG,
    PDF,
    PNG,
    PPTX,
    TOO_BIG,
    WRONG_NAME,
    WRONG_TYPE,
    XLSX,
    FileKind,
    UploadRefused,
    check_size,
    check_upload,
    extension_of,
    human_size,
    sniff_kind,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 20
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def office_bytes(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (JPEG_BYTES, JPEG),
        (PNG_BYTES, PNG),
        (office_bytes("word/document.xml"), DOCX),
        (office_bytes("xl/workbook.xml"), XLSX),
        (office_bytes("ppt/presentation.xml"), PPTX),
        (b"Measure,Quantity\r\nNT1,2\r\n", CSV),
        (b"GIF89a" + b"\x00" * 20, None),
        (b"MZ\x90\x00" + b"\x00" * 60, None),
        (b"PK\x03\x04 not really a zip", None),
        (b"   \n  ", None),
    ],
)
def test_it_tells_the_kind_from_the_contents(content: bytes, expected: FileKind | None) -> None:
    stream = io.BytesIO(content)
    assert sniff_kind(stream) == expected
    assert stream.tell() == 0


def test_it_reads_the_extension_of_a_name() -> None:
    assert [extension_of(n) for n in ("A.PDF", "plan.tar.gz", "report", "")] == [
        "pdf",
        "gz",
        "",
        "",
    ]


def refusal(name: str, content: bytes, kinds: tuple[FileKind, ...]) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(
            name=name,
            size=len(content),
            stream=io.BytesIO(content),
            kinds=kinds,
            limit_setting="EVIDENCE_MAX_BYTES",
        )
    return caught.value.reason


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_it_takes_the_limit_from_the_setting_it_is_given() -> None:
    assert check_size(1024, "EVIDENCE_MAX_BYTES") == 1024
    with pytest.raises(UploadRefused) as caught:
        check_size(1025, "EVIDENCE_MAX_BYTES")
    assert (caught.value.reason, caught.value.size, caught.value.limit) == (TOO_BIG, 1025, 1024)
    with pytest.raises(UploadRefused) as caught:
        check_size(0, "EVIDENCE_MAX_BYTES")
    assert caught.value.reason == EMPTY


def test_it_accepts_only_the_kinds_it_is_given() -> None:
    assert refusal("photo.png", PNG_BYTES, (PDF,)) == WRONG_TYPE
    kind = check_upload(
        name="photo.png",
        size=len(PNG_BYTES),
        stream=io.BytesIO(PNG_BYTES),
        kinds=(PDF, PNG),
        limit_setting="EVIDENCE_MAX_BYTES",
    )
    assert kind == PNG


def test_it_refuses_a_name_that_does_not_match_the_contents_unless_told_not_to_check() -> None:
    with pytest.raises(UploadRefused) as caught:
        check_upload(
            name="plan.pdf",
            size=len(JPEG_BYTES),
            stream=io.BytesIO(JPEG_BYTES),
            kinds=(PDF, JPEG),
            limit_setting="EVIDENCE_MAX_BYTES",
        )
    assert (caught.value.reason, caught.value.kind, caught.value.extension) == (
        WRONG_NAME,
        JPEG,
        "pdf",
    )
    kind = check_upload(
        name="",
        size=len(JPEG_BYTES),
        stream=io.BytesIO(JPEG_BYTES),
        kinds=(JPEG,),
        limit_setting="EVIDENCE_MAX_BYTES",
        check_name=False,
    )
    assert kind == JPEG


def test_it_shows_sizes_as_people_read_them() -> None:
    sizes = (None, 850, 1024, 12_800, 1_468_006, 10 * 1024 * 1024)
    assert [human_size(s) for s in sizes] == ["", "850 bytes", "1 KB", "12 KB", "1.4 MB", "10.0 MB"]
    assert human_size(10 * 1024 * 1024, whole_mb=True) == "10 MB"
    assert human_size(1_572_864, whole_mb=True) == "1.5 MB"
