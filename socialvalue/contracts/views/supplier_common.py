"""What the supplier's return pages share: who may use them, fetching the supplier's own
return and line, the status tags, and where to go back to after a change."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.models import Return, ReturnLine
from socialvalue.contracts.selectors import (
    get_line_for_user,
    get_return_for_user,
    lines_of_return_for_user,
)
from socialvalue.core.access import NOT_SUPPLIER

SUPPLIER = User.Role.SUPPLIER
LINES_PER_PAGE = 25
RETURNS_PER_PAGE = 25

LINE_TAGS: dict[str, str] = {
    ReturnLine.Status.DRAFT: "govuk-tag--grey",
    ReturnLine.Status.SUBMITTED: "govuk-tag--blue",
    ReturnLine.Status.VERIFIED: "govuk-tag--green",
    ReturnLine.Status.QUERIED: "govuk-tag--yellow",
    ReturnLine.Status.REJECTED: "govuk-tag--red",
}


@dataclass(frozen=True)
class Tag:
    label: str
    css: str


def supplier_user(request: AuthenticatedRequest) -> User:
    """The signed-in supplier user (the views' decorators let nobody else this far)."""
    if not request.user.is_supplier_user:
        raise PermissionDenied(NOT_SUPPLIER)
    return request.user


def own_return(request: AuthenticatedRequest, pk: int) -> Return:
    """The supplier's own return: 404 for anybody else's."""
    return get_return_for_user(supplier_user(request), pk)


def own_line(request: AuthenticatedRequest, return_record: Return, line_pk: int) -> ReturnLine:
    return get_line_for_user(supplier_user(request), line_pk, return_pk=return_record.pk)


def return_tags(return_record: Return, today: date) -> list[Tag]:
    """ "Submitted" or "Not submitted", and "Overdue" for a draft past its due date."""
    if return_record.status == Return.Status.SUBMITTED:
        label = "Nil return submitted" if return_record.is_nil else "Submitted"
        return [Tag(label, "govuk-tag--green")]
    tags = [Tag("Not submitted", "govuk-tag--grey")]
    if today > return_record.period.due_date:
        tags.append(Tag("Overdue", "govuk-tag--red"))
    return tags


def timeliness(return_record: Return) -> str:
    """ "Submitted on time" or "Submitted late"; empty while not submitted."""
    on_time = return_record.submitted_on_time
    if on_time is None:
        return ""
    return "Submitted on time" if on_time else "Submitted late"


def can_submit_now(return_record: Return, today: date) -> bool:
    return return_record.status == Return.Status.DRAFT and today > return_record.period.end_date


def line_tag(line: ReturnLine) -> Tag:
    return Tag(line.get_status_display(), LINE_TAGS.get(line.status, "govuk-tag--grey"))


def line_value(line: ReturnLine) -> Decimal:
    """Quantity × the measure's proxy value, exactly; £0 for a measure with no proxy."""
    proxy = line.measure.proxy_value
    return line.quantity * proxy if proxy is not None else Decimal(0)


def return_url(return_record: Return) -> str:
    return reverse("contracts:return_detail", args=[return_record.pk])


def line_url(user: User, return_record: Return, line_pk: int) -> str:
    """The return page showing the line: on the right page of lines, at the line."""
    pks = list(lines_of_return_for_user(user, return_record).values_list("pk", flat=True))
    base = return_url(return_record)
    if line_pk not in pks:
        return base
    page = pks.index(line_pk) // LINES_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return f"{base}{query}#line-{line_pk}"


def back_to_return(request: HttpRequest, return_record: Return, message: str) -> HttpResponse:
    """Back to the return page with ``message`` shown as a problem."""
    messages.error(request, message)
    return redirect(return_url(return_record))
