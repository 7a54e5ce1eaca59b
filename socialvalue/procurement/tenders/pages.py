"""What the officers' tender pages share: who may see and change a tender, their messages,
the links to the other pages of a tender, and how figures and times are written.

Who may do what:
- the tender list is for the council's staff (officers, evaluators and the lead; 403 for
  suppliers); officers and the lead create, edit and move tenders on, evaluators only look;
- a single tender is fetched with ``get_tender_for_user`` after checking the visitor is staff,
  so a supplier or another organisation's officer gets 404 for it, never a hint it exists.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.core.money import round_2dp
from socialvalue.procurement.models import Tender
from socialvalue.procurement.selectors import (
    get_tender_for_user,
)

TENDERS_PER_PAGE = 20
CHANGES_PER_PAGE = 10
MSG_POLICY_SAVED = "The social value policy has been saved."
MSG_CREATED = "Tender {reference} has been created as a draft."
MSG_SAVED = "Tender {reference} has been saved."
MSG_OPENED = "Tender {reference} is open for offers until {deadline}."
MSG_CLOSED = "Tender {reference} is closed: its offers can now be evaluated."
MSG_CLOSE_TOO_EARLY = "The tender cannot close before its deadline, {deadline}."
MSG_CANCELLED = "Tender {reference} has been cancelled."
MSG_MENU_SAVED = "The menu now has {count} of {total} measures."
MSG_PANEL_SAVED = "The panel has been saved."
MSG_SELECT_ALL = "Every measure is selected. Save the measures to keep this menu."
MSG_CLEAR = "No measures are selected. Select the measures you want, then save them."
MANAGER_ROLES = (User.Role.LEAD, User.Role.OFFICER)

NOT_MANAGER = "Only officers and the social value lead can change tenders."
NOT_BUYER_STAFF = "Only staff of a buying organisation can do that."

# Pages other parts of the tender build. Each link shows only once its URL name exists, and
# only in the statuses listed; every page checks its own access. (section, URL name, label)
TENDER_LINKS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "itt",
        "procurement:itt_docx",
        "Social value ITT wording (DOCX)",
        tuple(Tender.Status.values),
    ),
    (
        "itt",
        "procurement:qdp_docx",
        "Qualitative Delivery Plan template (DOCX)",
        tuple(Tender.Status.values),
    ),
    (
        "itt",
        "procurement:offer_template_xlsx",
        "Offer template (XLSX)",
        tuple(Tender.Status.values),
    ),
    (
        "evaluation",
        "procurement:evaluation",
        "Evaluation",
        (Tender.Status.CLOSED, Tender.Status.EVALUATED, Tender.Status.AWARDED),
    ),
    (
        "evaluation",
        "procurement:results",
        "Results",
        (Tender.Status.CLOSED, Tender.Status.EVALUATED, Tender.Status.AWARDED),
    ),
    (
        "evaluation",
        "procurement:report",
        "Evaluation report",
        (Tender.Status.EVALUATED, Tender.Status.AWARDED),
    ),
]


# --- Access -----------------------------------------------------------------------------------


def staff_tender(request: AuthenticatedRequest, pk: int) -> Tender:
    """The tender, for staff of its organisation; 404 for anyone else (suppliers included)."""
    user = request.user
    if not user.is_officer:
        raise Http404("No such tender.")
    return get_tender_for_user(user, pk)


def require_manager(user: User) -> None:
    if user.role not in MANAGER_ROLES:
        raise PermissionDenied(NOT_MANAGER)


def is_manager(user: User) -> bool:
    return user.role in MANAGER_ROLES


def buyer_organisation(user: User) -> Any:
    organisation = user.organisation
    if organisation is None or not organisation.is_buyer:
        raise PermissionDenied(NOT_BUYER_STAFF)
    return organisation


def plain_figure(value: Decimal) -> str:
    text = f"{round_2dp(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def count_text(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def marks_text(tender: Tender) -> str:
    """ "Quantitative 5 marks, qualitative 5 marks": Q and L, to 2 decimal places at most."""
    q, ql = plain_figure(tender.quantitative_marks), plain_figure(tender.qualitative_marks)
    return (
        f"Quantitative {q} mark{'' if q == '1' else 's'}, "
        f"qualitative {ql} mark{'' if ql == '1' else 's'}"
    )


def when_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"
