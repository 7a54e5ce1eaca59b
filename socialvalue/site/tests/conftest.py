"""Website content fixtures.

- ``make_resource(title, published=True, **fields)``: a resource written by ``lead_lucy``
  (a link unless ``upload`` is given), published unless told otherwise.
- ``make_faq(question, published=True, **fields)``: an FAQ, likewise.
- ``policy_page``: the shipped Social Value Policy page, published.
- ``cast_member(name)``: a cast fixture by name (None for nobody signed in).
- The cache (which holds the feedback rate limit) is emptied around every test.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from socialvalue.accounts.models import User
from socialvalue.site.models import Faq, Page, Resource
from socialvalue.site.services import (
    content_publish,
    faq_create,
    page_policy_create,
    resource_create,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def office_bytes(main_part: str) -> bytes:
    """A minimal Office Open XML package whose main part is ``main_part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def pdf_upload(name: str = "guide.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast_member(request: pytest.FixtureRequest) -> Callable[[str | None], User | None]:
    def get(name: str | None) -> User | None:
        return None if name is None else request.getfixturevalue(name)

    return get


@pytest.fixture
def make_resource(lead_lucy: User) -> Callable[..., Resource]:
    def make(title: str = "Social value ITT wording", published: bool = True, **fields: Any):
        values: dict[str, Any] = {
            "category": "itt_wording",
            "audience": "everyone",
            "description": "The standard wording for invitations to tender.",
            "url": "" if "upload" in fields else "https://example.org/itt",
        }
        values.update(fields)
        resource = resource_create(user=lead_lucy, title=title, **values)
        if published:
            content_publish(item=resource, user=lead_lucy)
        return resource

    return make


@pytest.fixture
def make_faq(lead_lucy: User) -> Callable[..., Faq]:
    def make(question: str = "What is social value?", published: bool = True, **fields: Any):
        values: dict[str, Any] = {
            "category": "basics",
            "order": 10,
            "answer": "The extra good a contract does locally.",
        }
        values.update(fields)
        faq = faq_create(user=lead_lucy, question=question, **values)
        if published:
            content_publish(item=faq, user=lead_lucy)
        return faq

    return make


@pytest.fixture
def policy_page(lead_lucy: User) -> Page:
    return page_policy_create(user=lead_lucy, publish=True)
