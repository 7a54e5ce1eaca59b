"""The returns pages shared by suppliers and officers: each role gets its own view."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.views import supplier_returns, verification
from socialvalue.core.access import ROLE_MISSING, STAFF_AND_SUPPLIERS, Reach, access


@access(STAFF_AND_SUPPLIERS)
def returns_index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.is_supplier_user:
        return supplier_returns.supplier_return_list(request)
    if user.is_officer:
        return verification.officer_return_list(request)
    raise PermissionDenied(ROLE_MISSING)


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def return_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    if user.is_supplier_user:
        return supplier_returns.supplier_return_detail(request, pk)
    if user.is_officer:
        return verification.officer_return_detail(request, pk)
    raise PermissionDenied(ROLE_MISSING)
