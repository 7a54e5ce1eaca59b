"""Who may manage an organisation's people and details: one place for the rules that the
team and organisation pages, their services and the admin all apply.

- A buying organisation is run by its social value lead: they invite colleagues (as lead,
  officer, evaluator or Cabinet member), change their roles and service areas, deactivate and
  reactivate them, edit the organisation's details and its directorates and service areas,
  and read its security log.
- A supplier or partner organisation is run by all of its users together: any of them
  invites colleagues (whose role follows from the organisation's kind), deactivates and
  reactivates them and edits the organisation's details. Nobody outside it may add or change
  its users, so nobody outside can make an account that reads its sealed offers.
- A platform administrator may invite the first user of an organisation that has no active
  users, and nothing more inside an organisation.
"""

from typing import Any

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.admin_site import is_platform_admin

BUYER_INVITABLE_ROLES = (
    User.Role.LEAD,
    User.Role.OFFICER,
    User.Role.EVALUATOR,
    User.Role.CABINET,
)


def _active_member(user: Any, organisation: Organisation) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and user.organisation_id == organisation.pk
    )


def member_role_for(organisation: Organisation) -> str | None:
    """The one role people of a supplier or partner organisation hold; None for a buyer."""
    if organisation.is_supplier:
        return User.Role.SUPPLIER
    if organisation.is_partner:
        return User.Role.PARTNER
    return None


def invitable_roles(organisation: Organisation) -> list[str]:
    """The roles someone may be invited into ``organisation`` with."""
    if organisation.is_buyer:
        return list(BUYER_INVITABLE_ROLES)
    role = member_role_for(organisation)
    return [role] if role else []


def may_manage_team(user: Any, organisation: Organisation) -> bool:
    """Invite, deactivate and reactivate people, and revoke or resend invitations."""
    if not _active_member(user, organisation):
        return False
    if organisation.is_buyer:
        return bool(user.role == User.Role.LEAD)
    return bool(user.role and user.role == member_role_for(organisation))


def may_change_roles(user: Any, organisation: Organisation) -> bool:
    """Change a colleague's role and service area: a buying organisation's lead only."""
    return organisation.is_buyer and may_manage_team(user, organisation)


def may_edit_organisation(user: Any, organisation: Organisation) -> bool:
    """Edit the organisation's details (size, VCSE, postcode, website, company number)."""
    return may_manage_team(user, organisation)


def may_manage_structure(user: Any, organisation: Organisation) -> bool:
    """Add, rename and remove directorates and service areas: a buyer's lead."""
    return organisation.is_buyer and may_manage_team(user, organisation)


def may_read_security_log(user: Any) -> bool:
    """A buying organisation's lead reads the security log of its people."""
    organisation = getattr(user, "organisation", None)
    return organisation is not None and may_change_roles(user, organisation)


def has_active_users(organisation: Organisation) -> bool:
    return organisation.users.filter(is_active=True).exists()


def may_invite_first_user(user: Any, organisation: Organisation) -> bool:
    """A platform administrator, while the organisation has no active users."""
    return is_platform_admin(user) and not has_active_users(organisation)
