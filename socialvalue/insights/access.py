"""Whose figures a user may see.

Council staff and Cabinet members see their own organisation's figures. The staff of a
place partnership's lead organisation (Greater Lancashire) may also see every member's, one
by one or all together. Suppliers, partners and the public see only published figures (the statement
and ``/in-numbers/``).
"""

from django.core.exceptions import PermissionDenied

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.access import NOT_OFFICER
from socialvalue.insights.models import Place


def reads_figures(user: User) -> bool:
    """Council staff and the organisation's Cabinet members read its non-public figures."""
    return bool(user.is_authenticated and user.is_active and (user.is_officer or user.is_cabinet))


def places_led_by(user: User) -> list[Place]:
    if not reads_figures(user):
        return []
    return list(Place.objects.filter(lead_organisation_id=user.organisation_id))


def visible_organisations(user: User) -> list[Organisation]:
    """The buying organisations whose non-public figures ``user`` may see, own first."""
    if not reads_figures(user):
        raise PermissionDenied(NOT_OFFICER)
    if user.organisation_id is None:
        return []
    own = Organisation.objects.get(pk=user.organisation_id)
    others = (
        Organisation.objects.filter(places__lead_organisation_id=own.pk)
        .exclude(pk=own.pk)
        .distinct()
        .order_by("name")
    )
    return [own, *others]


def default_organisation_ids(user: User) -> frozenset[int]:
    """Every organisation the user may see: a place lead sees the whole place by default."""
    return frozenset(o.pk for o in visible_organisations(user))
