"""UK financial-year quarters, the reporting cycle for every supplier.

The financial year starts on 1 April: Q1 is April–June, Q2 July–September, Q3
October–December and Q4 January–March of the next calendar year. A financial year is
named by the calendar year it starts in and shown as "2026-27".
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the calendar year the financial year starts in: 2026 for 2026-27
    number: int  # 1 to 4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.number}.")

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def financial_year(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """E.g. "Q1 2026-27 (April to June 2026)"."""
        return f"Q{self.number} {self.financial_year} ({self.start:%B} to {self.end:%B %Y})"

    @property
    def short_label(self) -> str:
        """E.g. "Q1 2026-27"."""
        return f"Q{self.number} {self.financial_year}"

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def due_date(self, days_after_end: int = 30) -> date:
        """When a return for this quarter is due: by default 30 days after it ends."""
        return self.end + timedelta(days=days_after_end)


def quarter_of(day: date) -> Quarter:
    """The financial quarter a day falls in."""
    if day.month >= 4:
        return Quarter(day.year, (day.month - 4) // 3 + 1)
    return Quarter(day.year - 1, 4)


def quarters_between(first: date, last: date) -> Iterator[Quarter]:
    """Every quarter that overlaps the days from ``first`` to ``last``, in order."""
    if last < first:
        return
    quarter, final = quarter_of(first), quarter_of(last)
    while quarter <= final:
        yield quarter
        quarter = quarter.next()
