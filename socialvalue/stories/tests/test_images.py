"""Photographs: judged by their content, re-encoded before they are stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from socialvalue.stories.images import (
    ERR_IMAGE_EMPTY,
    ERR_IMAGE_TOO_BIG,
    ERR_IMAGE_TYPE,
    image_prepare,
)
from socialvalue.stories.tests.conftest import picture


def test_it_accepts_a_png_and_keeps_it_a_png() -> None:
    prepared = image_prepare(picture("PNG", (64, 36)))
    assert prepared.extension == "png"
    assert prepared.content_type == "image/png"
    assert (prepared.width, prepared.height) == (64, 36)
    assert Image.open(io.BytesIO(prepared.content)).format == "PNG"


def test_it_accepts_a_jpeg_and_keeps_it_a_jpeg() -> None:
    prepared = image_prepare(picture("JPEG", (40, 30)))
    assert prepared.extension == "jpg"
    assert prepared.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(prepared.content)).format == "JPEG"


def test_it_scales_a_large_photograph_down_to_1600_pixels() -> None:
    prepared = image_prepare(picture("JPEG", (3200, 1800)))
    assert (prepared.width, prepared.height) == (1600, 900)


def test_it_drops_the_location_a_phone_wrote_into_the_photograph() -> None:
    image = Image.new("RGB", (40, 30), (29, 112, 184))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in out.getvalue()

    prepared = image_prepare(out.getvalue())

    assert b"PhoneMaker" not in prepared.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", ERR_IMAGE_EMPTY),
        (b"This is a text file with a .png name.", ERR_IMAGE_TYPE),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", ERR_IMAGE_TYPE),
    ],
)
def test_it_refuses_what_is_not_an_image(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        image_prepare(data)
    assert caught.value.messages == [message]


def test_it_refuses_images_of_other_types() -> None:
    with pytest.raises(ValidationError) as caught:
        image_prepare(picture("GIF"))
    assert caught.value.messages == [ERR_IMAGE_TYPE]


def test_it_refuses_a_file_over_5_mb() -> None:
    with pytest.raises(ValidationError) as caught:
        image_prepare(picture() + b"\0" * (5 * 1024 * 1024))
    assert caught.value.messages == [ERR_IMAGE_TOO_BIG]
