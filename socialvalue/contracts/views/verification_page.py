"""The officer's page for one return: the lines of the officer's own contracts, grouped by
contract, each with its value, evidence, history and (while it awaits verification) the
decision form.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from socialvalue.accounts.models import User
from socialvalue.contracts.evidence import CSV, DOCX, JPEG, PDF, PNG, XLSX, human_size
from socialvalue.contracts.models import Contract, Evidence, LineEvent, Return, ReturnLine
from socialvalue.contracts.selectors import contracts_visible_to, lines_of_return_for_user
from socialvalue.contracts.services import target_value
from socialvalue.contracts.verification_forms import DecisionForm
from socialvalue.contracts.views.verification_queries import Timing, timing_of

KIND_LABELS = {kind.content_type: kind.label for kind in (PDF, DOCX, XLSX, CSV, JPEG, PNG)}
STATUS_TAGS: dict[str, str] = {
    ReturnLine.Status.DRAFT: "govuk-tag--grey",
    ReturnLine.Status.SUBMITTED: "",
    ReturnLine.Status.VERIFIED: "govuk-tag--green",
    ReturnLine.Status.QUERIED: "govuk-tag--yellow",
    ReturnLine.Status.REJECTED: "govuk-tag--red",
}


def decision_prefix(line: ReturnLine) -> str:
    return f"line-{line.pk}"


def line_anchor(line_pk: int) -> str:
    return f"line-{line_pk}"


@dataclass(frozen=True)
class EvidenceItem:
    evidence: Evidence

    @property
    def kind(self) -> str:
        return KIND_LABELS.get(self.evidence.content_type, self.evidence.content_type)

    @property
    def size(self) -> str:
        return human_size(self.evidence.size)


@dataclass
class LineRow:
    line: ReturnLine
    value: Decimal
    evidence: list[EvidenceItem]
    events: list[LineEvent]
    form: DecisionForm | None

    @property
    def anchor(self) -> str:
        return line_anchor(self.line.pk)

    @property
    def tag_css(self) -> str:
        return STATUS_TAGS.get(self.line.status, "govuk-tag--grey")

    @property
    def awaiting(self) -> bool:
        return self.line.status == ReturnLine.Status.SUBMITTED


@dataclass
class ContractGroup:
    contract: Contract
    rows: list[LineRow] = field(default_factory=list)

    @property
    def value(self) -> Decimal:
        return sum((row.value for row in self.rows), Decimal(0))


def lines_for_page(user: User, return_record: Return) -> list[ReturnLine]:
    """The officer's lines of the return in page order, with evidence and history loaded."""
    return list(
        lines_of_return_for_user(user, return_record)
        .select_related("contract", "measure")
        .prefetch_related(
            "evidence",
            Prefetch("events", queryset=LineEvent.objects.select_related("by__organisation")),
        )
        .order_by("contract__reference", "contract__pk", "measure__order", "pk")
    )


def _contracts_covered(user: User, return_record: Return) -> list[Contract]:
    """The officer's contracts with this supplier that ran in the return's quarter."""
    period = return_record.period
    return list(
        contracts_visible_to(user)
        .filter(supplier_id=return_record.supplier_id)
        .filter(start_date__lte=period.end_date, end_date__gte=period.start_date)
        .order_by("reference", "pk")
    )


def groups_for(
    lines: list[ReturnLine], contracts: list[Contract], forms: dict[int, DecisionForm]
) -> list[ContractGroup]:
    groups: dict[int, ContractGroup] = {c.pk: ContractGroup(c) for c in contracts}
    for line in lines:
        group = groups.setdefault(line.contract_id, ContractGroup(line.contract))
        form = None
        if line.status == ReturnLine.Status.SUBMITTED:
            form = forms.get(line.pk) or DecisionForm(prefix=decision_prefix(line))
        group.rows.append(
            LineRow(
                line=line,
                value=target_value(line.quantity, line.measure),
                evidence=[EvidenceItem(e) for e in line.evidence.all()],
                events=list(line.events.all()),
                form=form,
            )
        )
    return sorted(groups.values(), key=lambda g: (g.contract.reference, g.contract.pk))


def next_undecided(lines: list[ReturnLine], after_pk: int) -> ReturnLine | None:
    """The next line awaiting verification after ``after_pk`` in page order, wrapping round
    to the first; None when no line awaits verification."""
    ids = [line.pk for line in lines]
    start = ids.index(after_pk) + 1 if after_pk in ids else 0
    for line in lines[start:] + lines[:start]:
        if line.status == ReturnLine.Status.SUBMITTED:
            return line
    return None


@dataclass(frozen=True)
class Progress:
    total: int
    awaiting: int
    queried: int
    verified: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.verified + self.rejected


def progress_of(lines: list[ReturnLine]) -> Progress:
    def count(state: str) -> int:
        return sum(1 for line in lines if line.status == state)

    return Progress(
        total=len(lines),
        awaiting=count(ReturnLine.Status.SUBMITTED),
        queried=count(ReturnLine.Status.QUERIED),
        verified=count(ReturnLine.Status.VERIFIED),
        rejected=count(ReturnLine.Status.REJECTED),
    )


def return_page_context(
    user: User,
    return_record: Return,
    today: date,
    *,
    failed: tuple[int, DecisionForm] | None = None,
) -> dict[str, Any]:
    """Everything the officer's return page shows. ``failed`` is the line and the bound
    form of a decision that could not be made, shown with its errors."""
    lines = lines_for_page(user, return_record)
    forms = {failed[0]: failed[1]} if failed else {}
    supplier = return_record.supplier
    is_draft = return_record.status == Return.Status.DRAFT
    timing: Timing = timing_of(return_record, today)
    covered = _contracts_covered(user, return_record)
    return {
        "return_record": return_record,
        "period": return_record.period,
        "supplier": supplier,
        "supplier_district": supplier.local_district,
        "supplier_size": supplier.get_size_display() if supplier.size else "",
        "is_draft": is_draft,
        "is_overdue": is_draft and return_record.period.due_date < today,
        "timing": timing,
        "groups": [] if is_draft else groups_for(lines, covered, forms),
        "covered_contracts": covered,
        "progress": progress_of(lines),
        "failed_form": failed[1] if failed else None,
    }
