"""Demonstration contracts with six quarters of returns in every state.

Runs after the procurement demo, which awards LCC-2025-044 to Pendle Care. Four more
contracts are registered directly (``contract_stories.py``): a highways contract (Ribble
Highways, on track), a grant (Pendle Care), a planning obligation (Northern Civils, behind)
and a Blackpool Council contract (Fylde Coast Facilities). Each return is told as a story:
lines added with evidence, submitted on time or late (or not at all), then verified,
queried, answered or rejected by the contract's manager.

Everything goes through the services. They stamp what they do with the current time, so
each step's records (line history, submission time, evidence upload time) are then moved
back to the day the story says it happened. Dates are relative to today, so the data never
ages: "Q-2" is the quarter two before the current one.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone
from PIL import Image, ImageDraw

from socialvalue.accounts.models import Organisation, ServiceArea, User
from socialvalue.bootstrap.demo.contract_stories import (
    ANSWERED,
    AWARDED,
    CONTRACTS,
    COUNCIL,
    LATE,
    NIL,
    NIL_LATE,
    POSTCODES_ANSWER,
    REJECTED,
    STORIES,
    VERIFIED,
    Row,
)
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
    TargetQuarter,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import (
    LineInput,
    line_add,
    line_answer,
    line_query,
    line_reject,
    line_verify,
    return_submit,
    returns_open,
)
from socialvalue.contracts.services import contract_register
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.framework.models import Measure
from socialvalue.framework.selectors import framework_version_current


def contracts_demo(today: date | None = None) -> None:
    council = Organisation.objects.get(name=COUNCIL)
    if Contract.objects.filter(organisation=council, reference=CONTRACTS[0].reference).exists():
        return
    today = today or timezone.localdate()
    current = quarter_of(today)
    contracts = _register(current)
    awarded = Contract.objects.filter(organisation=council, reference=AWARDED).first()
    if awarded is not None:
        contracts[AWARDED] = awarded
    returns_open(today)
    for (supplier, offset, how), rows in STORIES.items():
        _tell(supplier, _quarter(current, -offset), how, rows, contracts, today)


def _quarter(current: Quarter, offset: int) -> Quarter:
    quarter = current
    for _ in range(abs(offset)):
        quarter = quarter.next() if offset > 0 else quarter.previous()
    return quarter


def _register(current: Quarter) -> dict[str, Contract]:
    version = framework_version_current()
    if version is None:
        raise RuntimeError("The demo needs the default framework: run bootstrap.")
    measures = {m.code: m for m in Measure.objects.filter(version=version)}
    made = {}
    for spec in CONTRACTS:
        organisation = Organisation.objects.filter(name=spec.buyer).first()
        if organisation is None:
            continue
        service_area = ServiceArea.objects.filter(
            directorate__organisation=organisation, name=spec.service_area
        ).first()
        manager = User.objects.filter(email=spec.manager).first()
        made[spec.reference] = contract_register(
            organisation=organisation,
            supplier=Organisation.objects.get(name=spec.supplier),
            reference=spec.reference,
            title=spec.title,
            lever=spec.lever,
            category=spec.category,
            value=Decimal(spec.value),
            start_date=_quarter(current, spec.first).start,
            end_date=_quarter(current, spec.last).end,
            framework_version=version,
            targets=[(measures[code], Decimal(q)) for code, q in spec.targets],
            directorate=service_area.directorate if service_area else None,
            service_area=service_area,
            contract_manager=manager,
            by=manager,
        )
    return made


def _at(day: date, hour: int = 10) -> datetime:
    """``day`` at ``hour`` o'clock, but never later than now."""
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now())


@contextmanager
def _dated(when: datetime) -> Iterator[None]:
    """Move what the block records to ``when`` (the services stamp it with now)."""
    event_mark = LineEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    line_mark = ReturnLine.objects.aggregate(m=Max("pk"))["m"] or 0
    evidence_mark = Evidence.objects.aggregate(m=Max("pk"))["m"] or 0
    history_mark = Return.history.aggregate(m=Max("history_id"))["m"] or 0
    yield
    LineEvent.objects.filter(pk__gt=event_mark).update(at=when)
    ReturnLine.objects.filter(pk__gt=line_mark).update(created_at=when)
    ReturnLine.objects.filter(events__pk__gt=event_mark).update(updated_at=when)
    Evidence.objects.filter(pk__gt=evidence_mark).update(uploaded_at=when)
    changed = Return.history.filter(history_id__gt=history_mark)
    Return.objects.filter(pk__in=changed.values("id"), submitted_at__isnull=False).update(
        submitted_at=when
    )
    changed.update(history_date=when)


def _tell(
    supplier_name: str,
    quarter: Quarter,
    how: str,
    rows: list[Row],
    contracts: dict[str, Contract],
    today: date,
) -> None:
    supplier = Organisation.objects.get(name=supplier_name)
    period = period_for(quarter)
    return_record = Return.objects.get(supplier=supplier, period=period)
    reporter = User.objects.filter(organisation=supplier, role=User.Role.SUPPLIER).first()
    if how in {LATE, NIL_LATE}:
        submitted = min(period.due_date + timedelta(days=9), today)
    else:
        submitted = min(period.end_date + timedelta(days=20), today)
    lines: list[tuple[Row, ReturnLine]] = []
    with _dated(_at(min(period.end_date + timedelta(days=10), today), 9)):
        for row in rows:
            contract = contracts.get(row.contract)
            if contract is None or not (
                contract.start_date <= period.end_date and contract.end_date >= period.start_date
            ):
                continue
            line = line_add(return_record, _input(row, contract, period), by=reporter)
            if row.evidence:
                evidence_add(line, _evidence_file(row, supplier, period), by=reporter)
            lines.append((row, line))
    if not how:
        return
    with _dated(_at(submitted)):
        return_submit(return_record, by=reporter, nil=how in {NIL, NIL_LATE}, today=submitted)
    decided = submitted + timedelta(days=6)
    for row, line in lines:
        officer = line.contract.contract_manager
        if not row.outcome or officer is None:
            continue
        with _dated(_at(decided, 14)):
            if row.outcome == VERIFIED:
                line_verify(line, by=officer)
            elif row.outcome == REJECTED:
                line_reject(line, by=officer, message=row.message)
            else:
                line_query(line, by=officer, message=row.message)
        if row.outcome == ANSWERED:
            with _dated(_at(decided + timedelta(days=3), 11)):
                evidence_add(line, _evidence_file(row, supplier, period, "csv"), by=reporter)
                line_answer(line, by=reporter, message=POSTCODES_ANSWER)
            with _dated(_at(decided + timedelta(days=5), 15)):
                line_verify(line, by=officer, message="Payroll extract checked.")


def _input(row: Row, contract: Contract, period: ReportingPeriod) -> LineInput:
    measure = Measure.objects.get(version=contract.framework_version, code=row.code)
    if row.quantity == "profile":
        quantity = (
            TargetQuarter.objects.filter(
                target__contract=contract, target__measure=measure, period=period
            )
            .values_list("quantity", flat=True)
            .first()
        ) or Decimal(0)
    else:
        quantity = Decimal(row.quantity)
    return LineInput(contract, measure, quantity, str(row.district), row.narrative)


def _evidence_file(
    row: Row, supplier: Organisation, period: ReportingPeriod, kind: str = ""
) -> SimpleUploadedFile:
    kind = kind or row.evidence
    name = f"{supplier.slug}-{row.code.lower()}-{period.slug}.{kind}"
    title = f"{supplier.name}: {row.code} evidence, {period.short_label}"
    if kind == "pdf":
        return SimpleUploadedFile(name, pdf_bytes(title, [row.narrative]), "application/pdf")
    if kind == "png":
        return SimpleUploadedFile(name, png_bytes(title), "image/png")
    text = "date,name,postcode,hours\n" + "".join(
        f"{(period.start_date + timedelta(days=7 * n)):%Y-%m-%d},Staff member {n + 1},PR1 2HE,"
        f"{3 + n % 4}\n"
        for n in range(12)
    )
    return SimpleUploadedFile(name, text.encode(), "text/csv")


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with the title and lines in Helvetica."""

    def text(value: str) -> str:
        ascii_only = value.encode("ascii", "replace").decode()
        return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 16 Tf", "56 780 Td", f"({text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        ops += ["0 -24 Td", f"({text(line)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def png_bytes(title: str) -> bytes:
    """A small bar chart (sessions per month) as a PNG."""
    image = Image.new("RGB", (480, 260), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 12), title.encode("ascii", "replace").decode(), fill="black")
    for n, height in enumerate((120, 150, 135)):
        left = 80 + n * 120
        draw.rectangle((left, 230 - height, left + 70, 230), fill=(29, 112, 184))
    draw.line((60, 230, 440, 230), fill="black", width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
