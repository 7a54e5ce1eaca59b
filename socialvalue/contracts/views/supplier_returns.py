"""The supplier's quarterly returns: the list, one return's page and its submission.

A return covers every contract the supplier held in the quarter. The supplier adds lines
(or uploads the template), attaches evidence, and submits once the quarter has ended;
after that only lines an officer has queried can change. The pages for lines, evidence
and the template live in the ``supplier_lines``, ``supplier_evidence`` and
``supplier_upload`` modules; their views are importable from here too, as the URLs expect.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReportingSettings,
    Return,
    ReturnLine,
    Target,
    TargetQuarter,
)
from socialvalue.contracts.return_forms import SubmitForm
from socialvalue.contracts.returns import (
    ERR_RETURN_SUBMITTED,
    ReturnLocked,
    can_submit_from,
    contracts_in_period,
    return_submit,
    returns_open,
)
from socialvalue.contracts.selectors import lines_of_return_for_user, returns_visible_to
from socialvalue.contracts.views.supplier_common import (
    LINES_PER_PAGE,
    RETURNS_PER_PAGE,
    Tag,
    back_to_return,
    can_submit_now,
    line_tag,
    line_value,
    own_return,
    return_tags,
    supplier_user,
    timeliness,
)
from socialvalue.contracts.views.supplier_evidence import (
    evidence_delete_view,
    evidence_upload_view,
)
from socialvalue.contracts.views.supplier_lines import (
    line_add_view,
    line_answer_view,
    line_delete_view,
    line_edit_view,
)
from socialvalue.contracts.views.supplier_upload import return_template_view, return_upload_view
from socialvalue.core.access import SUPPLIERS, Reach, access

__all__ = [
    "evidence_delete_view",
    "evidence_upload_view",
    "line_add_view",
    "line_answer_view",
    "line_delete_view",
    "line_edit_view",
    "return_submit_view",
    "return_template_view",
    "return_upload_view",
    "supplier_return_detail",
    "supplier_return_list",
]

ATTENTION_LIMIT = 10
# How each line state reads in a count: "2 queried", "1 awaiting verification".
COUNT_WORDS = {
    ReturnLine.Status.DRAFT: "draft",
    ReturnLine.Status.SUBMITTED: "awaiting verification",
    ReturnLine.Status.VERIFIED: "verified",
    ReturnLine.Status.QUERIED: "queried",
    ReturnLine.Status.REJECTED: "rejected",
}
COUNT_ORDER = [
    ReturnLine.Status.QUERIED,
    ReturnLine.Status.DRAFT,
    ReturnLine.Status.SUBMITTED,
    ReturnLine.Status.VERIFIED,
    ReturnLine.Status.REJECTED,
]


def _count_texts(counts: dict[str, int]) -> list[str]:
    return [f"{counts[s]} {COUNT_WORDS[s]}" for s in COUNT_ORDER if counts.get(s)]


def _with_counts(returns: QuerySet[Return]) -> QuerySet[Return]:
    return returns.annotate(
        **{
            f"n_{state}": Count("lines", filter=Q(lines__status=state))
            for state in ReturnLine.Status.values
        }
    )


def _counts_of(return_record: Return) -> dict[str, int]:
    return {s: getattr(return_record, f"n_{s}", 0) for s in ReturnLine.Status.values}


def _attention(return_record: Return, today: date) -> list[str]:
    """What the supplier has to do on this return, if anything."""
    todo = []
    period = return_record.period
    if return_record.status == Return.Status.DRAFT and today > period.end_date:
        if today > period.due_date:
            todo.append(f"Submit your return: it was due on {period.due_date:%-d %B %Y}")
        else:
            todo.append(f"Submit your return by {period.due_date:%-d %B %Y}")
    queried = getattr(return_record, f"n_{ReturnLine.Status.QUERIED}", 0)
    if queried:
        todo.append(f"Answer {queried} queried line{'s' if queried != 1 else ''}")
    return todo


@access(SUPPLIERS)
@require_safe
def supplier_return_list(request: AuthenticatedRequest) -> HttpResponse:
    user = supplier_user(request)
    today = timezone.localdate()
    if user.organisation_id is not None:
        returns_open(today=today, supplier=user.organisation)
    returns = _with_counts(returns_visible_to(user)).order_by("-period__start_date", "pk")
    page = Paginator(returns, RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    items = [
        {
            "return": r,
            "tags": return_tags(r, today),
            "timeliness": timeliness(r),
            "counts": _count_texts(_counts_of(r)),
            "line_count": sum(_counts_of(r).values()),
            "todo": _attention(r, today),
        }
        for r in page.object_list
    ]
    needing = (
        returns.filter(
            Q(status=Return.Status.DRAFT, period__end_date__lt=today)
            | Q(**{f"n_{ReturnLine.Status.QUERIED}__gt": 0})
        )
        .order_by("period__start_date", "pk")
        .select_related("period")
    )
    attention = [(r, _attention(r, today)) for r in needing[:ATTENTION_LIMIT]]
    return render(
        request,
        "contracts/supplier/return_list.html",
        {
            "page": page,
            "items": items,
            "attention": attention,
            "attention_more": max(needing.count() - ATTENTION_LIMIT, 0) if attention else 0,
            "has_contracts": Contract.objects.filter(supplier_id=user.organisation_id).exists(),
            "due_days": ReportingSettings.current().return_due_days,
        },
    )


# --- One return -----------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    this_quarter: Decimal | None
    reported: Decimal


@dataclass
class ContractBlock:
    contract: Contract
    targets: list[TargetRow] = field(default_factory=list)
    line_count: int = 0
    value: Decimal = Decimal(0)


@dataclass(frozen=True)
class LineRow:
    line: ReturnLine
    value: Decimal
    tag: Tag
    evidence: list[Evidence]
    events: list[LineEvent]
    officer_message: LineEvent | None
    can_edit: bool
    can_delete: bool
    can_answer: bool


def _contract_blocks(
    user: User, return_record: Return
) -> tuple[list[ContractBlock], Decimal, Counter[str]]:
    """Every contract of the quarter with its targets and what this return reports on it;
    the return's total value; its lines counted by state."""
    contracts = list(contracts_in_period(return_record.supplier, return_record.period))
    blocks = {c.pk: ContractBlock(c) for c in contracts}
    reported: dict[tuple[int, int], Decimal] = {}
    states: Counter[str] = Counter()
    total = Decimal(0)
    rows = lines_of_return_for_user(user, return_record).values_list(
        "contract_id", "measure_id", "quantity", "measure__proxy_value", "status"
    )
    for contract_id, measure_id, quantity, proxy, state in rows:
        value = quantity * proxy if proxy is not None else Decimal(0)
        total += value
        states[state] += 1
        key = (contract_id, measure_id)
        reported[key] = reported.get(key, Decimal(0)) + quantity
        block = blocks.get(contract_id)
        if block is None:  # a line on a contract that no longer overlaps the quarter
            contract = Contract.objects.select_related("organisation").get(pk=contract_id)
            block = blocks[contract_id] = ContractBlock(contract)
        block.line_count += 1
        block.value += value
    quarter_quantities = dict(
        TargetQuarter.objects.filter(
            target__contract_id__in=blocks, period=return_record.period
        ).values_list("target_id", "quantity")
    )
    targets = Target.objects.filter(contract_id__in=blocks).select_related("measure")
    for target in targets.order_by("contract_id", "measure__order", "measure__code"):
        blocks[target.contract_id].targets.append(
            TargetRow(
                target,
                quarter_quantities.get(target.pk),
                reported.get((target.contract_id, target.measure_id), Decimal(0)),
            )
        )
    return list(blocks.values()), total, states


def _line_rows(lines: list[ReturnLine], return_record: Return) -> list[LineRow]:
    draft_return = return_record.status == Return.Status.DRAFT
    rows = []
    for line in lines:
        events = list(line.events.all())
        decisions = [
            e
            for e in events
            if e.action in {LineEvent.Action.QUERIED, LineEvent.Action.REJECTED} and e.message
        ]
        rows.append(
            LineRow(
                line=line,
                value=line_value(line),
                tag=line_tag(line),
                evidence=list(line.evidence.all()),
                events=events,
                officer_message=decisions[-1] if decisions else None,
                can_edit=line.is_editable_by_supplier,
                can_delete=draft_return and line.status == ReturnLine.Status.DRAFT,
                can_answer=line.status == ReturnLine.Status.QUERIED,
            )
        )
    return rows


def _grouped(rows: list[LineRow]) -> list[tuple[Contract, list[LineRow]]]:
    groups: list[tuple[Contract, list[LineRow]]] = []
    for row in rows:
        if not groups or groups[-1][0].pk != row.line.contract_id:
            groups.append((row.line.contract, []))
        groups[-1][1].append(row)
    return groups


@access(SUPPLIERS, Reach.ORGANISATION)
@require_safe
def supplier_return_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    today = timezone.localdate()
    blocks, total, states = _contract_blocks(user, return_record)
    status = request.GET.get("status", "")
    if status not in ReturnLine.Status.values:
        status = ""
    lines = lines_of_return_for_user(user, return_record).prefetch_related(
        "evidence", Prefetch("events", LineEvent.objects.select_related("by"))
    )
    if status:
        lines = lines.filter(status=status)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    rows = _line_rows(list(page.object_list), return_record)
    line_count = sum(states.values())
    return render(
        request,
        "contracts/supplier/return_detail.html",
        {
            "return": return_record,
            "period": return_record.period,
            "tags": return_tags(return_record, today),
            "timeliness": timeliness(return_record),
            "is_draft": return_record.status == Return.Status.DRAFT,
            "can_submit": can_submit_now(return_record, today),
            "submit_from": can_submit_from(return_record),
            "blocks": blocks,
            "total": total,
            "line_count": line_count,
            "queried_count": states[ReturnLine.Status.QUERIED],
            "state_filters": [
                (s, f"{states[s]} {COUNT_WORDS[s]}", s == status) for s in COUNT_ORDER if states[s]
            ],
            "status": status,
            "page": page,
            "groups": _grouped(rows),
        },
    )


# --- Submission -----------------------------------------------------------------------------


def _submit_context(
    user: User, return_record: Return, today: date, form: SubmitForm
) -> dict[str, Any]:
    blocks, total, states = _contract_blocks(user, return_record)
    line_count = sum(states.values())
    lines = lines_of_return_for_user(user, return_record)
    return {
        "return": return_record,
        "period": return_record.period,
        "tags": return_tags(return_record, today),
        "blocks": [b for b in blocks if b.line_count],
        "total": total,
        "line_count": line_count,
        "without_evidence": lines.filter(evidence__isnull=True).count() if line_count else 0,
        "can_submit": can_submit_now(return_record, today),
        "submit_from": can_submit_from(return_record),
        "form": form,
    }


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def return_submit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check what will be submitted, then submit; once submitted, the confirmation."""
    user = supplier_user(request)
    return_record = own_return(request, pk)
    today = timezone.localdate()
    if return_record.status == Return.Status.SUBMITTED:
        if request.method == "POST":
            return back_to_return(request, return_record, ERR_RETURN_SUBMITTED)
        return render(
            request,
            "contracts/supplier/return_submitted.html",
            {
                "return": return_record,
                "period": return_record.period,
                "timeliness": timeliness(return_record),
                "line_count": lines_of_return_for_user(user, return_record).count(),
            },
        )
    has_lines = lines_of_return_for_user(user, return_record).exists()
    form = SubmitForm(request.POST if request.method == "POST" else None, offer_nil=not has_lines)
    if request.method == "POST" and form.is_valid():
        try:
            return_submit(
                return_record, by=user, nil=bool(form.cleaned_data.get("nil")), today=today
            )
        except ReturnLocked as exc:
            return back_to_return(request, return_record, exc.messages[0])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("contracts:return_submit", pk=return_record.pk)
    return render(
        request,
        "contracts/supplier/return_submit.html",
        _submit_context(user, return_record, today, form),
    )
