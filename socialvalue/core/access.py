"""Who may see and do what: one place for the checks every view and API endpoint shares.

Two kinds of check live here.

**Role checks.** ``@role_required(User.Role.OFFICER, User.Role.LEAD)`` on a view: somebody
not signed in is sent to the sign-in page (and back afterwards); somebody signed in without
one of the roles gets 403. Inside a view or an API endpoint, call ``require_officer(user)``
or ``require_lead(user)`` on the first line; they raise ``PermissionDenied`` (403, and a
JSON 403 from the API).

**Record checks.** Private data (tenders, bids, contracts, returns, evidence…) is fetched
through one helper per resource, named ``get_<thing>_for_user(user, pk)`` and kept in that
app's ``selectors.py``. It filters by the caller's organisation *in the query* and uses
``get_object_or_404``, so someone from another organisation gets 404 and never learns the
record exists::

    def get_contract_for_user(user: User, pk: int) -> Contract:
        require_signed_in(user)
        contracts = Contract.objects.all()
        if user.is_supplier_user:
            contracts = contracts.filter(supplier=user.organisation)
        else:
            contracts = contracts.filter(buyer=user.organisation)
        return get_object_or_404(contracts, pk=pk)

Views and the API both call the same helper, so the rule is written once. Role checks
(403) come first for pages only staff may use; record checks (404) then decide whether this
particular record is the caller's.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

NOT_SIGNED_IN = "You need to sign in to do that."
NOT_OFFICER = "Only council officers can do that."
NOT_LEAD = "Only the social value lead can do that."
NOT_SUPPLIER = "Only supplier users can do that."
ROLE_MISSING = "Your role does not allow you to see this page."

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def role_required(*roles: str) -> Callable[[View], View]:
    """Let a view through only for signed-in users holding one of ``roles``.

    Roles are ``User.Role`` values and are matched exactly: list every role the page is
    for (a lead is not an officer here unless ``User.Role.LEAD`` is listed too).
    """
    if not roles:
        raise ValueError("role_required needs at least one role.")
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not _signed_in(request.user):
                return redirect_to_login(request.get_full_path())
            if getattr(request.user, "role", "") not in allowed:
                raise PermissionDenied(ROLE_MISSING)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def require_signed_in(user: Any) -> None:
    if not _signed_in(user):
        raise PermissionDenied(NOT_SIGNED_IN)


def require_officer(user: Any) -> None:
    """Council staff only: officers, evaluators and the social value lead."""
    require_signed_in(user)
    if not getattr(user, "is_officer", False):
        raise PermissionDenied(NOT_OFFICER)


def require_lead(user: Any) -> None:
    """The social value lead only."""
    require_signed_in(user)
    if not getattr(user, "is_lead", False):
        raise PermissionDenied(NOT_LEAD)


def require_supplier_user(user: Any) -> None:
    """Staff of a supplier organisation only."""
    require_signed_in(user)
    if not getattr(user, "is_supplier_user", False):
        raise PermissionDenied(NOT_SUPPLIER)
