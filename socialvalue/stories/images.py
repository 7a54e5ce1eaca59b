"""Photographs for case studies: checked by their content, then re-encoded.

The type of an upload is decided by its bytes (``core.uploads``, then what Pillow finds in
them), never by the file's name or the browser's word for it. Accepted images are
re-encoded (turned upright, scaled down to at most ``MAX_SIDE`` pixels, metadata such as a
phone's GPS position dropped), so what the site serves is always a plain JPEG or PNG that
it wrote itself.
"""

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from socialvalue.core import uploads
from socialvalue.core.uploads import EMPTY, TOO_BIG, UploadRefused

KINDS = (uploads.JPEG, uploads.PNG)
LIMIT_SETTING = "IMAGE_MAX_BYTES"
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
JPEG_QUALITY = 85

# Pillow's name for a format → (file extension, content type).
FORMATS = {
    "JPEG": (uploads.JPEG.key, uploads.JPEG.content_type),
    "PNG": (uploads.PNG.key, uploads.PNG.content_type),
}
CONTENT_TYPES = dict(FORMATS.values())

ERR_IMAGE_EMPTY = "The selected file is empty."
ERR_IMAGE_TOO_BIG = "The selected file must be smaller than 5 MB."
ERR_IMAGE_TYPE = "The selected file must be a JPG or PNG image."
ERR_IMAGE_TOO_MANY_PIXELS = "The image is too large: it must be under 40 megapixels."


def _check(check: Callable[[], object]) -> None:
    try:
        check()
    except UploadRefused as refused:
        message = {EMPTY: ERR_IMAGE_EMPTY, TOO_BIG: ERR_IMAGE_TOO_BIG}.get(refused.reason)
        raise ValidationError(message or ERR_IMAGE_TYPE) from refused


def image_check_size(size: int) -> None:
    """Refuse an image of ``size`` bytes that is empty or too large, before reading it."""
    _check(lambda: uploads.check_size(size, LIMIT_SETTING))


@dataclass(frozen=True)
class PreparedImage:
    """An accepted image, re-encoded and ready to store."""

    content: bytes
    extension: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def image_prepare(data: bytes) -> PreparedImage:
    """Check that ``data`` is a JPEG or PNG image under 5 MB (``settings.IMAGE_MAX_BYTES``),
    by ``core.uploads`` and then by Pillow, and re-encode it.

    Raises ``ValidationError`` with one of the ``ERR_IMAGE_…`` messages otherwise.
    """
    _check(
        lambda: uploads.check_upload(
            name="",
            size=len(data),
            stream=io.BytesIO(data),
            kinds=KINDS,
            limit_setting=LIMIT_SETTING,
            check_name=False,
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            found = probe.format
            probe.verify()
        except Image.DecompressionBombError as error:
            raise ValidationError(ERR_IMAGE_TOO_MANY_PIXELS) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(ERR_IMAGE_TYPE) from error
        if found not in FORMATS:
            raise ValidationError(ERR_IMAGE_TYPE)
        if probe.width * probe.height > MAX_PIXELS:
            raise ValidationError(ERR_IMAGE_TOO_MANY_PIXELS)
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(ERR_IMAGE_TYPE) from error
    return _reencode(image, found)


def _reencode(image: Image.Image, found: str) -> PreparedImage:
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if found == "JPEG":
        if upright.mode not in {"RGB", "L"}:
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        if upright.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
            upright = upright.convert("RGBA")
        upright.save(out, format="PNG", optimize=True)
    extension = FORMATS[found][0]
    return PreparedImage(
        content=out.getvalue(), extension=extension, width=upright.width, height=upright.height
    )
