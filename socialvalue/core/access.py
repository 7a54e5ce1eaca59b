"""Who may see and do what: one rule per page and API operation, declared and enforced.

**Every URL pattern and every API operation declares its rule** with ``@access(...)`` (pages)
or ``@api_access(...)`` (API operations, on the line under ``@router.<method>(...)``)::

    @access(STAFF, Reach.ORGANISATION)
    def contract_detail(request, pk): ...

A rule has two parts:

- **who** may use it: a set of audiences (``ANYONE``, ``SUPPLIER``, ``OFFICER``, ``LEAD``,
  ``SERVICE_OWNER_LEAD``…). The decorator enforces it before the view runs: somebody not
  signed in is sent to the sign-in page (the API answers 401); somebody signed in outside
  the audience gets 403.
- **which records it reaches** (``Reach``): none, public ones, the caller's own
  organisation's, those the caller's organisation is a party to… The view enforces this
  part through one selector per resource, named ``get_<thing>_for_user(user, pk)``, which
  filters by the caller's organisation *in the query* and raises 404, so someone from
  another organisation never learns the record exists.

``socialvalue/tests/test_access_matrix.py`` walks every URL pattern and API operation as
every role, for its own organisation's records and the other's, and compares each answer
with the declared rule; a URL without a rule fails the suite and ``manage.py check``.

Platform-wide content (partners, events, resources, FAQs, pages, feedback, reporting
settings and other organisations' case studies) is moderated by the leads of the
organisation that runs the service (``settings.SERVICE_OWNER``). The Django admin is for
platform administrators only (``core/admin_site.py``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

NOT_SIGNED_IN = "You need to sign in to do that."
NOT_OFFICER = "Only council officers can do that."
NOT_LEAD = "Only the social value lead can do that."
NOT_SUPPLIER = "Only supplier users can do that."
NOT_SERVICE_OWNER_LEAD = "Only the social value lead of {owner} can do that."
ROLE_MISSING = "Your role does not allow you to see this page."

PLATFORM_ADMIN_PERMISSION = "accounts.administer_platform"

View = TypeVar("View", bound=Callable[..., Any])


class Audience(StrEnum):
    """Who a rule lets in. A signed-in user belongs to several (see ``audiences_of``)."""

    ANYONE = "anyone"
    SIGNED_IN = "signed in"
    SUPPLIER = "supplier"
    PARTNER = "partner"
    OFFICER = "officer"
    EVALUATOR = "evaluator"
    LEAD = "lead"
    CABINET = "cabinet member"
    SERVICE_OWNER_STAFF = "staff of the service owner"
    SERVICE_OWNER_LEAD = "lead of the service owner"
    PLATFORM_ADMIN = "platform administrator"


class Reach(StrEnum):
    """Which records a page or operation reaches, enforced by its selectors (404 outside)."""

    NONE = "no record in the address; what it shows is the caller's own or public"
    PUBLIC = "public records; unpublished ones are 404"
    SECRET_LINK = "the record named by a secret link"
    OWN_ACCOUNT = "the caller's own account and its records"
    ORGANISATION = "the caller's organisation's records"
    PARTIES = "records the caller's organisation is a party to (buyer or supplier)"
    PANEL = "tenders of the caller's organisation, evaluated by its panel members"
    MODERATED = "the caller's organisation's content; the service owner's leads reach all"
    PLACE = "the caller's organisation and, for a place's lead organisation, each member"
    PLATFORM = "platform-wide content, moderated by the service owner's leads"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    who: frozenset[Audience]
    reach: Reach
    # Who may change things (POST, PUT, PATCH, DELETE) when fewer may than may read.
    writes: frozenset[Audience] | None = None

    @property
    def admits_anonymous(self) -> bool:
        return Audience.ANYONE in self.who

    def admits(self, user: Any, method: str = "GET") -> bool:
        who = self.who if self.writes is None or method in SAFE_METHODS else self.writes
        if Audience.ANYONE in who:
            return True
        return bool(who & audiences_of(user))

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "who": sorted(str(a) for a in self.who),
            "reaches": str(self.reach),
        }
        if self.writes is not None:
            described["changes"] = sorted(str(a) for a in self.writes)
        return described


# The audiences most rules use.
ANYONE = frozenset({Audience.ANYONE})
SIGNED_IN = frozenset({Audience.SIGNED_IN})
SUPPLIERS = frozenset({Audience.SUPPLIER})
PARTNERS = frozenset({Audience.PARTNER})
STAFF = frozenset({Audience.OFFICER, Audience.EVALUATOR, Audience.LEAD})
STAFF_AND_CABINET = STAFF | {Audience.CABINET}
MANAGERS = frozenset({Audience.OFFICER, Audience.LEAD})  # change tenders and contracts
# Everyone who belongs to an organisation, and those who run its people and details: a
# buying organisation's lead, or any user of a supplier or partner.
MEMBERS = STAFF_AND_CABINET | {Audience.SUPPLIER, Audience.PARTNER}
TEAM_MANAGERS = frozenset({Audience.LEAD, Audience.SUPPLIER, Audience.PARTNER})
LEADS = frozenset({Audience.LEAD})
SERVICE_OWNER_LEADS = frozenset({Audience.SERVICE_OWNER_LEAD})
SERVICE_OWNER_STAFF = frozenset({Audience.SERVICE_OWNER_STAFF})
STAFF_AND_SUPPLIERS = STAFF | SUPPLIERS
PLATFORM_ADMINS = frozenset({Audience.PLATFORM_ADMIN})

_ROLE_AUDIENCE = {
    "supplier": Audience.SUPPLIER,
    "partner": Audience.PARTNER,
    "officer": Audience.OFFICER,
    "evaluator": Audience.EVALUATOR,
    "lead": Audience.LEAD,
    "cabinet": Audience.CABINET,
}
_STAFF_ROLES = {"officer", "evaluator", "lead"}


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_platform_admin(user: Any) -> bool:
    """A superuser, or an active user holding the platform administration permission: the
    only people who may use the admin (``core/admin_site.py``)."""
    if user is None or not _signed_in(user):
        return False
    return bool(user.is_superuser or user.has_perm(PLATFORM_ADMIN_PERMISSION))


def is_service_owner(organisation: Any) -> bool:
    """Whether ``organisation`` runs the service (``settings.SERVICE_OWNER``)."""
    return organisation is not None and organisation.name == settings.SERVICE_OWNER


def is_service_owner_lead(user: Any) -> bool:
    return (
        _signed_in(user)
        and getattr(user, "role", "") == "lead"
        and is_service_owner(getattr(user, "organisation", None))
    )


def audiences_of(user: Any) -> frozenset[Audience]:
    """Every audience ``user`` belongs to (cached on the user for the request)."""
    if not _signed_in(user):
        return frozenset()
    cached: frozenset[Audience] | None = getattr(user, "_access_audiences", None)
    if cached is not None:
        return cached
    found = {Audience.SIGNED_IN}
    role = getattr(user, "role", "")
    if role in _ROLE_AUDIENCE:
        # The role lets them onto the page; which records they reach is the selectors'
        # business (someone not yet linked to an organisation reaches none and is told so).
        found.add(_ROLE_AUDIENCE[role])
        organisation = getattr(user, "organisation", None)
        if role in _STAFF_ROLES and is_service_owner(organisation):
            found.add(Audience.SERVICE_OWNER_STAFF)
            if role == "lead":
                found.add(Audience.SERVICE_OWNER_LEAD)
    if is_platform_admin(user):
        found.add(Audience.PLATFORM_ADMIN)
    result = frozenset(found)
    user._access_audiences = result
    return result


_AUDIENCE_NAMES: dict[Audience, str] = {
    Audience.ANYONE: "anyone",
    Audience.SIGNED_IN: "anyone signed in",
    Audience.OFFICER: "officers",
    Audience.EVALUATOR: "evaluators",
    Audience.LEAD: "social value leads",
    Audience.CABINET: "Cabinet members",
    Audience.SUPPLIER: "supplier users",
    Audience.PARTNER: "partner organisation users",
    Audience.SERVICE_OWNER_STAFF: "the staff of {owner}",
    Audience.SERVICE_OWNER_LEAD: "the social value leads of {owner}, which runs this service",
    Audience.PLATFORM_ADMIN: "platform administrators",
}


def audience_text(who: Iterable[Audience]) -> str:
    """``who`` in words, in a fixed order: "officers, evaluators and social value leads"."""
    names = [
        name.format(owner=settings.SERVICE_OWNER)
        for audience, name in _AUDIENCE_NAMES.items()
        if audience in set(who)
    ]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


class Refused(PermissionDenied):
    """A page refused to somebody signed in outside its rule; says who the page is for."""

    def __init__(self, who: Iterable[Audience]) -> None:
        self.for_whom = audience_text(who)
        super().__init__(ROLE_MISSING)


def _rule(who: Iterable[Audience], reach: Reach, writes: Iterable[Audience] | None = None) -> Rule:
    audiences = frozenset(who)
    if not audiences:
        raise ValueError("An access rule needs at least one audience.")
    writers = None if writes is None else frozenset(writes)
    if writers is not None and not writers:
        raise ValueError("An access rule's writers cannot be empty.")
    return Rule(who=audiences, reach=reach, writes=writers)


def _declared(view: Callable[..., Any], rule: Rule) -> Any:
    """``view`` carrying its rule as ``access_rule`` (read by ``rule_for``)."""
    setattr(view, "access_rule", rule)  # noqa: B010 (an attribute functions do not declare)
    return view


def access(
    who: Iterable[Audience],
    reach: Reach = Reach.NONE,
    *,
    writes: Iterable[Audience] | None = None,
) -> Callable[[View], View]:
    """Declare and enforce who may use a page, and which records it reaches.

    Somebody not signed in is sent to sign in (and back afterwards) unless the page is for
    ``ANYONE``; somebody signed in outside ``who`` gets 403, and so does somebody outside
    ``writes`` (when given) sending a form. ``reach`` is enforced by the view's selectors
    (404 for records outside it) and checked by the access matrix test.
    """
    rule = _rule(who, reach, writes)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            method = request.method or "GET"
            if not rule.admits(request.user, method):
                if not _signed_in(request.user):
                    return redirect_to_login(request.get_full_path())
                writing = rule.writes is not None and method not in SAFE_METHODS
                raise Refused(rule.writes if writing and rule.writes else rule.who)
            response: HttpResponseBase = view(request, *args, **kwargs)
            return response

        return _declared(wrapper, rule)

    return decorator


def refusal_message(who: frozenset[Audience]) -> str:
    """What the API tells a signed-in caller outside ``who``."""
    if who <= STAFF_AND_CABINET and Audience.CABINET not in who:
        return NOT_OFFICER
    if who == SUPPLIERS:
        return NOT_SUPPLIER
    if who == LEADS:
        return NOT_LEAD
    if who == SERVICE_OWNER_LEADS:
        return NOT_SERVICE_OWNER_LEAD.format(owner=settings.SERVICE_OWNER)
    return ROLE_MISSING


def api_access(who: Iterable[Audience], reach: Reach = Reach.NONE) -> Callable[[View], View]:
    """The same for an API operation; goes directly under ``@router.<method>(...)``.

    Authentication (401) is the operation's ``auth``; this refuses a signed-in caller outside
    ``who`` with 403.
    """
    rule = _rule(who, reach)

    def decorator(operation: View) -> View:
        if rule.admits_anonymous:
            return _declared(operation, rule)

        @wraps(operation)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not rule.admits(request.user, request.method or "GET"):
                raise PermissionDenied(refusal_message(rule.who))
            return operation(request, *args, **kwargs)

        return _declared(wrapper, rule)

    return decorator


def rule_for(view: Any) -> Rule | None:
    """The rule declared on ``view`` (looking through wrappers), or None."""
    seen = 0
    while view is not None and seen < 20:
        rule = getattr(view, "access_rule", None)
        if isinstance(rule, Rule):
            return rule
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None


# --- Checks inside views, services and selectors ------------------------------------------


def role_required(*roles: str) -> Callable[[View], View]:
    """``@access`` for a list of ``User.Role`` values, matched exactly."""
    if not roles:
        raise ValueError("role_required needs at least one role.")
    return access([_ROLE_AUDIENCE[role] for role in roles], Reach.NONE)


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


def require_service_owner_lead(user: Any) -> None:
    """A social value lead of the organisation that runs the service."""
    require_signed_in(user)
    if not is_service_owner_lead(user):
        raise PermissionDenied(NOT_SERVICE_OWNER_LEAD.format(owner=settings.SERVICE_OWNER))


def require_supplier_user(user: Any) -> None:
    """Staff of a supplier organisation only."""
    require_signed_in(user)
    if not getattr(user, "is_supplier_user", False):
        raise PermissionDenied(NOT_SUPPLIER)
