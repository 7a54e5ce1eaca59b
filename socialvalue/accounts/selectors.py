"""Reads for users and API tokens."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from socialvalue.accounts.models import ApiToken, User
from socialvalue.core.access import require_signed_in


def api_tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (active and revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def get_api_token_for_user(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anyone else's gives 404."""
    require_signed_in(user)
    return get_object_or_404(api_tokens_for_user(user), pk=pk)
