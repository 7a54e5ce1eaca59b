"""Reads of contracts, returns, lines and evidence, with the access rules in one place.

- A supplier's users see their own organisation's contracts, returns, lines and evidence.
- Officers (and evaluators and the lead) see the contracts their organisation let; the
  returns of suppliers that held one of those contracts in the return's quarter; and, in
  those returns, only the submitted lines (and their evidence) of their own organisation's
  contracts: a draft line is the supplier's own until it submits it.
- Anyone else gets 404, so nobody learns that a record exists.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract, Evidence, Return, ReturnLine


def _org_id(user: User) -> int | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.organisation_id


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    qs = Contract.objects.select_related(
        "organisation", "supplier", "directorate", "service_area", "contract_manager"
    )
    org_id = _org_id(user)
    if org_id is None:
        return qs.none()
    if user.is_supplier_user:
        return qs.filter(supplier_id=org_id)
    if user.is_officer:
        return qs.filter(organisation_id=org_id)
    return qs.none()


def get_contract_for_user(user: User, pk: int) -> Contract:
    contract = contracts_visible_to(user).filter(pk=pk).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def returns_visible_to(user: User) -> QuerySet[Return]:
    qs = Return.objects.select_related("supplier", "period", "submitted_by")
    org_id = _org_id(user)
    if org_id is None:
        return qs.none()
    if user.is_supplier_user:
        return qs.filter(supplier_id=org_id)
    if user.is_officer:
        held = Contract.objects.filter(
            organisation_id=org_id,
            supplier_id=OuterRef("supplier_id"),
            start_date__lte=OuterRef("period__end_date"),
            end_date__gte=OuterRef("period__start_date"),
        )
        return qs.filter(Exists(held))
    return qs.none()


def get_return_for_user(user: User, pk: int) -> Return:
    return_record = returns_visible_to(user).filter(pk=pk).first()
    if return_record is None:
        raise Http404("No such return.")
    return return_record


def lines_visible_to(user: User) -> QuerySet[ReturnLine]:
    qs = ReturnLine.objects.select_related(
        "return_record__period",
        "return_record__supplier",
        "contract__organisation",
        "measure__theme",
    )
    org_id = _org_id(user)
    if org_id is None:
        return qs.none()
    if user.is_supplier_user:
        return qs.filter(return_record__supplier_id=org_id)
    if user.is_officer:
        # A supplier's lines are its own until it submits them.
        return qs.filter(contract__organisation_id=org_id).exclude(status=ReturnLine.Status.DRAFT)
    return qs.none()


def lines_of_return_for_user(user: User, return_record: Return) -> QuerySet[ReturnLine]:
    return lines_visible_to(user).filter(return_record=return_record)


def get_line_for_user(user: User, pk: int, return_pk: int | None = None) -> ReturnLine:
    lines = lines_visible_to(user).filter(pk=pk)
    if return_pk is not None:
        lines = lines.filter(return_record_id=return_pk)
    line = lines.first()
    if line is None:
        raise Http404("No such line.")
    return line


def evidence_visible_to(user: User) -> QuerySet[Evidence]:
    return Evidence.objects.filter(line__in=lines_visible_to(user).values("pk")).select_related(
        "line"
    )


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    evidence = evidence_visible_to(user).filter(pk=pk).first()
    if evidence is None:
        raise Http404("No such evidence.")
    return evidence


def awaiting_verification_q() -> Q:
    return Q(status=ReturnLine.Status.SUBMITTED)
