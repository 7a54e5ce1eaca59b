"""API endpoints about the caller."""

from django.http import HttpRequest
from ninja import Router, Schema

from socialvalue.accounts.auth import api_auth
from socialvalue.core.access import SIGNED_IN, Reach, api_access

router = Router(tags=["accounts"])


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str | None


@router.get("/me", response=MeOut, auth=api_auth, summary="The signed-in caller")
@api_access(SIGNED_IN, Reach.OWN_ACCOUNT)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        email=user.email,  # type: ignore[union-attr]
        full_name=user.full_name,  # type: ignore[union-attr]
        role=user.role,  # type: ignore[union-attr]
        organisation=user.organisation.name if user.organisation else None,  # type: ignore[union-attr]
    )
