"""What the contract and return endpoints answer with, and how records become answers.

Decimals travel as strings: quantities in full without trailing zeros ("4.5"), money in
pounds to pence ("156425.00"), percentages to 2 decimal places ("90.00").
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
    Target,
    TargetQuarter,
)
from socialvalue.contracts.performance import ContractPerformance, MeasurePerformance
from socialvalue.contracts.services import target_value
from socialvalue.core.api_body import DistrictOut
from socialvalue.core.geography import District
from socialvalue.core.money import money_text, percent_text, plain


def quantity_text(value: Decimal) -> str:
    return plain(value.normalize()) if value else "0"


# --- Periods ------------------------------------------------------------------------------


class PeriodOut(Schema):
    slug: str = Field(examples=["2026-q3"])
    label: str = Field(examples=["Q3 2026-27 (October to December 2026)"])
    short_label: str = Field(examples=["Q3 2026-27"])
    start_date: date
    end_date: date
    due_date: date = Field(description="The date the quarter's returns are due.")


def period_out(period: ReportingPeriod) -> dict[str, Any]:
    return {
        "slug": period.slug,
        "label": period.label,
        "short_label": period.short_label,
        "start_date": period.start_date,
        "end_date": period.end_date,
        "due_date": period.due_date,
    }


# --- Contracts ----------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str


class PersonOut(Schema):
    name: str
    email: str


class ContractOut(Schema):
    id: int
    reference: str
    title: str
    buyer: OrganisationOut
    supplier: OrganisationOut
    lever: str = Field(description="procurement, planning or grant")
    status: str = Field(description="live, ended or terminated")
    value: str = Field(description="The contract value in £.")
    start_date: date
    end_date: date
    rag: str = Field(description="green, amber, red or not_due: delivery against pro-rata.")
    percent: str | None = Field(description="Delivered ÷ due to date × 100; null if not due.")


class TargetOut(Schema):
    measure: str
    description: str
    quantity: str
    value: str = Field(description="quantity × the pinned proxy value, in £.")
    profile: dict[str, str] = Field(description="The quantity profiled in each quarter, by slug.")


class MeasurePerformanceOut(Schema):
    measure: str
    target_quantity: str
    target_value: str
    due_quantity: str = Field(description="The profile over the quarters reported on.")
    due_value: str
    delivered_quantity: str = Field(description="Verified quantities only.")
    delivered_value: str
    awaiting_quantity: str = Field(description="Submitted or queried, not yet verified.")
    percent: str | None
    rag: str


class PerformanceOut(Schema):
    as_of: date
    reported_periods: list[str] = Field(description="Slugs of the quarters counted as due.")
    target_value: str
    due_value: str
    delivered_value: str
    additional_value: str = Field(description="Delivered on measures without a target.")
    percent: str | None
    rag: str
    measures: list[MeasurePerformanceOut]
    additional: list[MeasurePerformanceOut]


class ContractDetailOut(ContractOut):
    directorate: str | None
    service_area: str | None
    category: str
    contract_manager: PersonOut | None
    framework: str
    tender: str | None = Field(description="The tender's reference, for an awarded contract.")
    targets: list[TargetOut]
    performance: PerformanceOut


def contract_out(contract: Contract, perf: ContractPerformance) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "reference": contract.reference,
        "title": contract.title,
        "buyer": {"id": contract.organisation_id, "name": contract.organisation.name},
        "supplier": {"id": contract.supplier_id, "name": contract.supplier.name},
        "lever": contract.lever,
        "status": contract.status,
        "value": money_text(contract.value),
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "rag": perf.rag,
        "percent": percent_text(perf.percent),
    }


def _measure_performance_out(row: MeasurePerformance) -> dict[str, Any]:
    return {
        "measure": row.measure.code,
        "target_quantity": quantity_text(row.target_quantity),
        "target_value": money_text(row.target_value),
        "due_quantity": quantity_text(row.due_quantity),
        "due_value": money_text(row.due_value),
        "delivered_quantity": quantity_text(row.delivered_quantity),
        "delivered_value": money_text(row.delivered_value),
        "awaiting_quantity": quantity_text(row.awaiting_quantity),
        "percent": percent_text(row.percent),
        "rag": row.rag,
    }


def contract_detail_out(contract: Contract, perf: ContractPerformance) -> dict[str, Any]:
    targets = (
        Target.objects.filter(contract=contract)
        .select_related("measure__theme")
        .prefetch_related(
            Prefetch("quarters", queryset=TargetQuarter.objects.select_related("period"))
        )
        .order_by("measure__theme__order", "measure__order", "measure__code")
    )
    manager = contract.contract_manager
    return {
        **contract_out(contract, perf),
        "directorate": contract.directorate.name if contract.directorate else None,
        "service_area": contract.service_area.name if contract.service_area else None,
        "category": contract.category,
        "contract_manager": (
            {"name": manager.full_name, "email": manager.email} if manager else None
        ),
        "framework": contract.framework_version.slug,
        "tender": contract.tender.reference if contract.tender else None,
        "targets": [
            {
                "measure": target.measure.code,
                "description": target.measure.description,
                "quantity": quantity_text(target.quantity),
                "value": money_text(target.value),
                "profile": {
                    tq.period.slug: quantity_text(tq.quantity)
                    for tq in sorted(target.quarters.all(), key=lambda tq: tq.period.start_date)
                },
            }
            for target in targets
        ],
        "performance": {
            "as_of": perf.as_of,
            "reported_periods": [p.slug for p in perf.reported_periods],
            "target_value": money_text(perf.target_value),
            "due_value": money_text(perf.due_value),
            "delivered_value": money_text(perf.delivered_value),
            "additional_value": money_text(perf.additional_value),
            "percent": percent_text(perf.percent),
            "rag": perf.rag,
            "measures": [_measure_performance_out(m) for m in perf.measures],
            "additional": [_measure_performance_out(m) for m in perf.additional],
        },
    }


# --- Returns, lines and evidence ----------------------------------------------------------


class ContractRefOut(Schema):
    id: int
    reference: str
    title: str
    buyer: str


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int = Field(description="In bytes.")
    uploaded_at: datetime
    download_url: str


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    message: str
    by: str | None
    at: datetime


class LineOut(Schema):
    id: int
    return_id: int
    contract: ContractRefOut
    measure: str
    measure_description: str
    quantity: str
    value: str = Field(description="quantity × the measure's proxy value, in £.")
    district: DistrictOut
    narrative: str
    status: str = Field(description="draft, submitted, verified, queried or rejected")
    editable: bool = Field(description="Whether the supplier may still change the line.")
    evidence: list[EvidenceOut]
    history: list[EventOut]


class ReturnOut(Schema):
    id: int
    supplier: OrganisationOut
    period: PeriodOut
    status: str = Field(description="draft or submitted")
    is_nil: bool
    submitted_at: datetime | None
    submitted_by: str | None
    submitted_on_time: bool | None


class ReturnDetailOut(ReturnOut):
    contracts: list[ContractRefOut] = Field(
        description="The contracts this return reports on that the caller may see."
    )
    lines: list[LineOut]


def return_out(return_record: Return) -> dict[str, Any]:
    by = return_record.submitted_by
    return {
        "id": return_record.pk,
        "supplier": {"id": return_record.supplier_id, "name": return_record.supplier.name},
        "period": period_out(return_record.period),
        "status": return_record.status,
        "is_nil": return_record.is_nil,
        "submitted_at": return_record.submitted_at,
        "submitted_by": by.full_name if by else None,
        "submitted_on_time": return_record.submitted_on_time,
    }


def contract_ref_out(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "reference": contract.reference,
        "title": contract.title,
        "buyer": contract.organisation.name,
    }


def evidence_out(request: HttpRequest, evidence: Evidence) -> dict[str, Any]:
    url = reverse("api:contracts_evidence_download", kwargs={"evidence_id": evidence.pk})
    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "uploaded_at": evidence.uploaded_at,
        "download_url": request.build_absolute_uri(url),
    }


def with_details(lines: QuerySet[ReturnLine]) -> QuerySet[ReturnLine]:
    """Lines ready for ``line_out``: evidence and history fetched in two more queries."""
    return lines.select_related("contract__organisation", "measure").prefetch_related(
        "evidence", Prefetch("events", queryset=LineEvent.objects.select_related("by"))
    )


def line_out(request: HttpRequest, line: ReturnLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "return_id": line.return_record_id,
        "contract": contract_ref_out(line.contract),
        "measure": line.measure.code,
        "measure_description": line.measure.description,
        "quantity": quantity_text(line.quantity),
        "value": money_text(target_value(line.quantity, line.measure)),
        "district": {"code": line.district, "name": District(line.district).label},
        "narrative": line.narrative,
        "status": line.status,
        "editable": line.is_editable_by_supplier,
        "evidence": [evidence_out(request, e) for e in line.evidence.all()],
        "history": [
            {
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "message": event.message,
                "by": event.by.full_name if event.by else None,
                "at": event.at,
            }
            for event in line.events.all()
        ],
    }
