"""The layout of a tender's offer spreadsheet, shared by the template and its reader: the
sheets, the header row, the columns and the header texts the reader accepts.

Part of the ITT pack ("10. Social value templates" of the Social Value Strategy 2024-28):
``xlsx_template.py`` writes the template, ``xlsx_import.py`` reads a filled one back.
"""

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from socialvalue.core.xlsx_reader import XlsxLimits
from socialvalue.procurement.documents.wording import QDP_QUESTIONS

MAX_LINES = 100
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_SHEET_ROWS = 2000
# A stray entry far below the offer is reported rather than silently ignored: only this
# many blank rows in a row end the sheet. Blank rows cost next to nothing to skip.
BLANK_ROWS_END = 20_000
HEADER_SEARCH_ROWS = 30
# The header is looked for, and columns read, among the first MAX_COLUMNS columns only.
MAX_COLUMNS = 40
XLSX_LIMITS = XlsxLimits(
    max_file_bytes=MAX_FILE_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_sheet_bytes=MAX_UNPACKED_BYTES,
    max_part_bytes=MAX_FILE_BYTES,
)
EXTRA_ROWS = 20
TEMPLATE_FORMAT = "social-value-offer-template/1"

OFFER_SHEET = "Offer"
INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "meta"
HEADER_ROW = 8
FIRST_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    editable: bool = False
    wrap: bool = True


COLUMNS: list[Column] = [
    Column("code", "Code", 9, wrap=False),
    Column("theme", "Theme", 16),
    Column("description", "Measure", 50),
    Column("unit", "Unit", 18),
    Column("proxy", "Proxy value (£)", 13, wrap=False),
    Column("quantity", "Quantity", 11, editable=True, wrap=False),
    Column("district", "Target district", 20, editable=True),
    Column("activity", "Activity", 40, editable=True),
    Column("who_delivers", "Who delivers", 28, editable=True),
    Column("timing", "When", 24, editable=True),
    Column("partners", "Partners", 26, editable=True),
    Column("evidence", "Evidence to be provided", 36, editable=True),
    Column("value", "Value (£)", 15, wrap=False),
]
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS, start=1)}
LETTER = {key: get_column_letter(index) for key, index in COLUMN_INDEX.items()}
LAST_LETTER = get_column_letter(len(COLUMNS))

# Header texts the reader accepts for each column it needs (compared without case).
HEADER_ALIASES: dict[str, set[str]] = {
    "code": {"code", "measure code"},
    "quantity": {"quantity"},
    "district": {"target district", "district"},
    "activity": {"activity"},
    "who_delivers": {"who delivers"},
    "timing": {"when", "timing"},
    "partners": {"partners"},
    "evidence": {"evidence to be provided", "evidence"},
}
REQUIRED_COLUMNS = ("code", "quantity", "activity", "who_delivers", "timing", "evidence")
REQUIRED_ANSWERS = ("activity", "who_delivers", "timing", "evidence")
ANSWER_LABELS = {key: label for key, label, _guidance in QDP_QUESTIONS}
