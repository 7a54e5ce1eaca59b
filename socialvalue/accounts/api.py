"""API endpoints about the caller."""

from ninja import Router, Schema

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import SIGNED_IN, Reach, api_access

router = Router(tags=["accounts"])


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str | None


@router.get("/me", response=MeOut, auth=api_auth, summary="The signed-in caller")
@api_access(SIGNED_IN, Reach.OWN_ACCOUNT)
def me(request: AuthenticatedRequest) -> MeOut:
    user = request.user
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        organisation=user.organisation.name if user.organisation else None,
    )
