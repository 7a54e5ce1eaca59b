"""Helpers shared by the contract page tests: reading tables out of a page, and delivering
a quarter of a contract through the returns services."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

from django.test import Client
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.returns import line_verify, return_submit


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self.captions.append("")
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.captions[-1] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self.tables:
                self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def tables(html: str) -> list[list[list[str]]]:
    """Every table of the page as rows of cell texts, whitespace collapsed."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table(html: str, caption: str) -> list[list[str]]:
    """The rows of the table whose caption starts with ``caption``."""
    parser = _Tables()
    parser.feed(html)
    for text, rows in zip(parser.captions, parser.tables, strict=True):
        if text.startswith(caption):
            return rows
    raise AssertionError(f"No table has a caption starting {caption!r}: {parser.captions}")


def row_starting(html: str, first_cell: str, *, caption: str = "") -> list[str]:
    """The first table row whose first cell starts with ``first_cell`` (in the table with
    ``caption`` if given)."""
    for rows in [table(html, caption)] if caption else tables(html):
        for row in rows:
            if row and row[0].startswith(first_cell):
                return row
    raise AssertionError(f"No table row starts with {first_cell!r}")


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def deliver(
    add_line: Callable[..., ReturnLine],
    make_return: Callable[..., Return],
    contract: Contract,
    period: ReportingPeriod,
    lines: Sequence[tuple[str, str]],
    *,
    supplier_user: User,
    officer: User | None = None,
    today: date | None = None,
) -> list[ReturnLine]:
    """Report ``lines`` (measure code, quantity) for ``period``, submit the return and, with
    an ``officer``, verify every line."""
    record = make_return(contract.supplier, period)
    made = [add_line(record, contract, code, q, by=supplier_user) for code, q in lines]
    return_submit(record, by=supplier_user, today=today or timezone.localdate())
    for line in made:
        line.refresh_from_db()
    if officer is not None:
        made = [line_verify(line, by=officer) for line in made]
    return made


def money(value: str) -> Decimal:
    return Decimal(value.replace("£", "").replace(",", ""))
