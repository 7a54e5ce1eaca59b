"""The access matrix: every URL pattern and API operation, as every role, for its own
organisation's records and the other's, compared with the rule the page declares.

For each page (``socialvalue.core.access.rule_for``) and each person of the world
(``access_world``):

- somebody outside the rule's audience is refused: sent to sign in when nobody is signed in
  (401 from the API), 403 otherwise — for changes too when the rule names who may change;
- somebody inside it is let through for their own side's record, and gets 404 for the other
  side's when the rule reaches only records of the caller's organisation (or those it is a
  party to);
- no answer ever contains a marker of a record the person may not see (drafts, sealed offers,
  another organisation's contracts, lines, evidence, statements…);
- no answer is a server error.

Every request runs in a transaction rolled back afterwards, so each sees the same world. The
admin is walked too: every model's pages, for every person; only platform administrators
get in. A URL without a declared rule, or missing from this file's catalogue, fails.
"""

import copy
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from socialvalue import checks
from socialvalue.core.access import Reach, Rule, rule_for
from socialvalue.framework.models import FrameworkVersion
from socialvalue.tests.access_world import (
    OTHER,
    ROLES,
    A,
    B,
    People,
    Side,
    World,
    build_world,
    marker,
)

# Records the rule's reach keeps to their own side: the other side's answer 404.
SIDED = {
    Reach.ORGANISATION,
    Reach.PARTIES,
    Reach.PANEL,
    Reach.MODERATED,
    Reach.PLACE,
    Reach.OWN_ACCOUNT,
}
LOGIN = "/account/sign-in/"
SEALED = ("sealedofferqz", "draftofferqz")
ADMIN_LOGIN = "/admin/login/"
TEXT_TYPES = ("text/", "application/json", "application/geo+json", "application/xml")
ZIP_TYPES = ("application/vnd.openxmlformats",)

Kwargs = dict[str, Any]
Finder = Callable[[World, Side], Kwargs | None]


def _pk(obj: Any) -> Kwargs:
    return {"pk": obj.pk}


def _return_line(ret: str, line: str) -> Finder:
    return lambda w, s: {"pk": getattr(s, ret).pk, "line_pk": getattr(s, line).pk}


# Which records each page with a record in its address is tried on, for a side.
PAGES: dict[str, Finder] = {
    "site:resource_detail": lambda w, s: {"slug": w.resource.slug},
    "site:resource_download": lambda w, s: {"slug": w.resource.slug},
    "site:content_resource_edit": lambda w, s: _pk(w.resource),
    "site:content_resource_file": lambda w, s: _pk(w.resource),
    "site:content_faq_edit": lambda w, s: _pk(w.faq),
    "site:content_page_edit": lambda w, s: _pk(w.policy_page),
    "site:content_publish": lambda w, s: {"kind": "faqs", "pk": w.faq.pk},
    "site:content_history": lambda w, s: {"kind": "faqs", "pk": w.faq.pk},
    "site:feedback_review": lambda w, s: _pk(w.feedback),
    "framework:version": lambda w, s: {"version_slug": w.toms.slug},
    "framework:measure": lambda w, s: {"version_slug": w.toms.slug, "code": "NT1"},
    "framework:download": lambda w, s: {"version_slug": w.toms.slug, "fmt": "csv"},
    "framework:changes": lambda w, s: {"version_slug": w.toms.slug},
    "partners:revision_preview": lambda w, s: _pk(w.partner_revision) if s.name == A else None,
    "partners:revision_submit": lambda w, s: _pk(w.partner_revision) if s.name == A else None,
    "partners:revision_withdraw": lambda w, s: _pk(w.partner_revision) if s.name == A else None,
    "partners:review": lambda w, s: _pk(w.partner_revision),
    "partners:detail": lambda w, s: {"slug": w.partner_profile.slug},
    "engagement:post_detail": lambda w, s: {"slug": w.post.slug},
    "engagement:registration": lambda w, s: {"token": w.registration.token},
    "engagement:registration_cancel": lambda w, s: {"token": w.registration.token},
    "engagement:event_edit": lambda w, s: _pk(w.event),
    "engagement:event_status": lambda w, s: _pk(w.event),
    "engagement:event_cancel": lambda w, s: _pk(w.event),
    "engagement:event_registrations": lambda w, s: _pk(w.event),
    "engagement:event_registrations_csv": lambda w, s: _pk(w.event),
    "engagement:post_edit": lambda w, s: _pk(w.post),
    "engagement:post_status": lambda w, s: _pk(w.post),
    "engagement:event_detail": lambda w, s: {"slug": w.event.slug},
    "engagement:event_ics": lambda w, s: {"slug": w.event.slug},
    "stories:review": lambda w, s: {"slug": s.submitted_story.slug},
    "stories:detail": lambda w, s: {"slug": s.published_story.slug},
    "stories:image": lambda w, s: {"slug": s.published_story.slug},
    "stories:edit": lambda w, s: {"slug": s.draft_story.slug},
    "stories:preview": lambda w, s: {"slug": s.draft_story.slug},
    "stories:submit": lambda w, s: {"slug": s.draft_story.slug},
    "stories:withdraw": lambda w, s: {"slug": s.submitted_story.slug},
    "needs:area": lambda w, s: {"code": w.district.code},
    "needs:link_delete": lambda w, s: _pk(w.need_link),
    "procurement:tender_detail": lambda w, s: _pk(s.closed_tender),
    "procurement:tender_edit": lambda w, s: _pk(s.draft_tender),
    "procurement:tender_open": lambda w, s: _pk(s.draft_tender),
    "procurement:tender_close": lambda w, s: _pk(s.open_tender),
    "procurement:tender_cancel": lambda w, s: _pk(s.draft_tender),
    "procurement:tender_menu": lambda w, s: _pk(s.draft_tender),
    "procurement:tender_panel": lambda w, s: _pk(s.draft_tender),
    "procurement:opportunity_detail": lambda w, s: _pk(s.closed_tender),
    "procurement:offer_start": lambda w, s: _pk(s.closed_tender),
    "procurement:offer_edit": lambda w, s: _pk(s.closed_bid),
    "procurement:commitment_new": lambda w, s: _pk(s.draft_bid),
    "procurement:commitment_edit": lambda w, s: {
        "pk": s.draft_bid.pk,
        "cpk": s.draft_commitment.pk,
    },
    "procurement:commitment_remove": lambda w, s: {
        "pk": s.draft_bid.pk,
        "cpk": s.draft_commitment.pk,
    },
    "procurement:offer_template_download": lambda w, s: _pk(s.draft_bid),
    "procurement:offer_upload": lambda w, s: _pk(s.draft_bid),
    "procurement:offer_submit": lambda w, s: _pk(s.draft_bid),
    "procurement:offer_receipt": lambda w, s: _pk(s.closed_bid),
    "procurement:offer_withdraw": lambda w, s: _pk(s.closed_bid),
    "procurement:offer_reopen": lambda w, s: _pk(s.closed_bid),
    "procurement:evaluation": lambda w, s: _pk(s.closed_tender),
    "procurement:evaluation_submit": lambda w, s: _pk(s.closed_tender),
    "procurement:moderation": lambda w, s: _pk(s.closed_tender),
    "procurement:moderation_complete": lambda w, s: _pk(s.closed_tender),
    "procurement:results": lambda w, s: _pk(s.closed_tender),
    "procurement:compare": lambda w, s: _pk(s.closed_tender),
    "procurement:report": lambda w, s: _pk(s.closed_tender),
    "procurement:report_xlsx": lambda w, s: _pk(s.closed_tender),
    "procurement:report_pdf": lambda w, s: _pk(s.closed_tender),
    "procurement:award": lambda w, s: _pk(s.closed_tender),
    "procurement:debrief": lambda w, s: {"bid_pk": s.closed_bid.pk},
    "procurement:itt_docx": lambda w, s: _pk(s.closed_tender),
    "procurement:qdp_docx": lambda w, s: _pk(s.closed_tender),
    "procurement:offer_template_xlsx": lambda w, s: _pk(s.closed_tender),
    "contracts:contract_detail": lambda w, s: _pk(s.contract),
    "contracts:contract_edit": lambda w, s: _pk(s.contract),
    "contracts:contract_close": lambda w, s: _pk(s.contract),
    "contracts:targets_edit": lambda w, s: _pk(s.contract),
    "contracts:target_profile": lambda w, s: {
        "pk": s.contract.pk,
        "target_pk": s.contract.targets.get().pk,
    },
    "contracts:return_detail": lambda w, s: _pk(s.submitted_return),
    "contracts:line_add": lambda w, s: _pk(s.draft_return),
    "contracts:line_edit": _return_line("draft_return", "draft_line"),
    "contracts:line_delete": _return_line("draft_return", "draft_line"),
    "contracts:evidence_upload": _return_line("draft_return", "draft_line"),
    "contracts:evidence_delete": lambda w, s: {
        "pk": s.draft_return.pk,
        "evidence_pk": s.draft_evidence.pk,
    },
    "contracts:line_answer": _return_line("submitted_return", "submitted_line"),
    "contracts:return_submit": lambda w, s: _pk(s.draft_return),
    "contracts:return_template": lambda w, s: _pk(s.draft_return),
    "contracts:return_upload": lambda w, s: _pk(s.draft_return),
    "contracts:line_decide": _return_line("submitted_return", "submitted_line"),
    "contracts:evidence_download": lambda w, s: _pk(s.submitted_evidence),
    "insights:training_course": lambda w, s: _pk(s.course),
    "insights:training_course_edit": lambda w, s: _pk(s.course),
    "insights:training_course_retire": lambda w, s: _pk(s.course),
    "insights:training_completion_remove": lambda w, s: _pk(s.completion),
    # The statement pages name a year of the caller's own organisation (both sides have one
    # for the same year): there is no address for another organisation's, so only the
    # markers can tell a leak.
    "insights:statement": lambda w, s: {"year": s.statement.year},
    "insights:statement_draft_pdf": lambda w, s: {"year": s.statement.year},
    "insights:statement_edit": lambda w, s: {"year": s.statement.year},
    "insights:statement_section_edit": lambda w, s: {
        "year": s.statement.year,
        "key": "introduction",
    },
    "insights:statement_publish": lambda w, s: {"year": s.statement.year},
    "insights:statement_withdraw": lambda w, s: {"year": s.statement.year},
    "insights:statement_public_year": lambda w, s: {"year": w.published_statement.year},
    "insights:statement_public_pdf": lambda w, s: {"year": w.published_statement.year},
    "insights:statement_public_organisation": lambda w, s: {
        "organisation": w.published_statement.organisation.slug
    },
    "insights:statement_public_organisation_year": lambda w, s: {
        "organisation": w.published_statement.organisation.slug,
        "year": w.published_statement.year,
    },
    "insights:statement_public_organisation_pdf": lambda w, s: {
        "organisation": w.published_statement.organisation.slug,
        "year": w.published_statement.year,
    },
    "insights:cabinet_report_pdf": lambda w, s: {
        "who": s.buyer.slug,
        "quarter": _last_quarter_slug(),
    },
    "insights:in_numbers_place": lambda w, s: {"slug": w.place.slug},
    "insights:category": lambda w, s: {"category": "highways"},
    "accounts:password_reset_confirm": lambda w, s: {"uidb64": "MQ", "token": "set-password"},
    "accounts:invitation_accept": lambda w, s: {
        "token": w.organisations["buyer A"].invitation_secret
    },
}


# Pages about an organisation's people and structure: the records of the person's own
# organisation (or its counterpart on the other side).
RoleFinder = Callable[[World, str, str], Kwargs | None]


def _people(pick: Callable[[People], Any]) -> RoleFinder:
    def find(w: World, role: str, side: str) -> Kwargs | None:
        people = w.organisation_of(role, side)
        if people is None:
            return None
        found = pick(people)
        return None if found is None else {"pk": found.pk}

    return find


ROLE_PAGES: dict[str, RoleFinder] = {
    "accounts:team_role": _people(lambda p: p.colleague),
    "accounts:team_deactivate": _people(lambda p: p.colleague),
    "accounts:team_reactivate": _people(lambda p: p.colleague),
    "accounts:invitation_resend": _people(lambda p: p.invitation),
    "accounts:invitation_revoke": _people(lambda p: p.invitation),
    "accounts:directorate_edit": _people(lambda p: p.service_area and p.service_area.directorate),
    "accounts:directorate_remove": _people(lambda p: p.service_area and p.service_area.directorate),
    "accounts:service_area_new": _people(lambda p: p.service_area and p.service_area.directorate),
    "accounts:service_area_edit": _people(lambda p: p.service_area),
    "accounts:service_area_remove": _people(lambda p: p.service_area),
    "accounts:api_token_revoke": lambda w, role, side: {
        "pk": w.tokens[_token_holder(role, side)].pk
    },
}


def _token_holder(role: str, side: str) -> str:
    """The person's own token; on the other side, somebody else's."""
    holder = role if role != "anonymous" else "lead_lucy"
    if side == (ROLES[role] or A):
        return holder
    return "officer_olga" if holder != "officer_olga" else "lead_lucy"


DRAFTS_ARE_THE_SUPPLIERS = "the supplier has not submitted it: it is still its own"


def _drafts(role: str) -> tuple[str, str] | None:
    if role in ("supplier_bob", "supplier_carol"):
        return None
    return "404", DRAFTS_ARE_THE_SUPPLIERS


# More records for some pages, with their own expectations for the people the rule admits
# (None: the general rule).
Special = Callable[[str], tuple[str, str] | None]


def _buyers_story(role: str) -> tuple[str, str] | None:
    if role.startswith("supplier"):
        return "404", "a case study of the buyer's, not the supplier's"
    return None


def _suppliers_story(role: str) -> tuple[str, str] | None:
    if role.startswith("supplier"):
        return None
    return "404", "a case study of the supplier's, not the buyer's"


EXTRA_PAGES: dict[str, list[tuple[Finder, Special]]] = {
    **{
        name: [(lambda w, s: {"slug": s.staff_story.slug}, _buyers_story)]
        for name in ("stories:edit", "stories:preview", "stories:submit")
    },
    "contracts:return_detail": [(lambda w, s: _pk(s.draft_return), lambda role: None)],
    "contracts:evidence_download": [(lambda w, s: _pk(s.draft_evidence), _drafts)],
    "procurement:offer_edit": [
        (lambda w, s: _pk(s.draft_bid), _drafts),
        # Another supplier's offer, submitted before the deadline: sealed from the buyer,
        # and never anyone else's business.
        (lambda w, s: _pk(s.sealed_bid), lambda role: ("404", "sealed, and another's offer")),
    ],
}


def _last_quarter_slug() -> str:
    from django.utils import timezone

    from socialvalue.core.quarters import quarter_of

    quarter = quarter_of(timezone.localdate()).previous()
    return f"{quarter.year}-q{quarter.number}"


@dataclass(frozen=True)
class Attempt:
    role: str
    method: str
    url: str
    expect: str  # "ok", "login", "403" or "404"
    why: str


@dataclass
class Outcome:
    attempt: Attempt
    status: int
    location: str
    leaked: list[str]

    @property
    def seen(self) -> str:
        if self.status >= 500:
            return f"server error {self.status}"
        # Sent to sign in and back: refused. (Signing out everywhere also ends on the sign-in
        # page, but with nowhere to come back to.)
        if self.status in (401,) or (
            self.status == 302
            and self.location.startswith((LOGIN, ADMIN_LOGIN))
            and "next=" in self.location
        ):
            return "login"
        if self.status in (403, 404):
            return str(self.status)
        return "ok"

    @property
    def failed(self) -> bool:
        if self.attempt.expect == "in":  # a platform administrator in the admin
            return self.seen in ("login", f"server error {self.status}") or bool(self.leaked)
        return self.seen != self.attempt.expect or bool(self.leaked)

    def describe(self) -> str:
        a = self.attempt
        text = f"{a.method} {a.url} as {a.role}: expected {a.expect} ({a.why}), got {self.seen}"
        text += f" [{self.status}{' → ' + self.location if self.location else ''}]"
        if self.leaked:
            text += f"; shows {', '.join(self.leaked)}"
        return text


def _signed_in_clients(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        clients[role] = client
    return clients


def _text_of(response: HttpResponse, body: bytes) -> str:
    content_type = response.get("Content-Type", "")
    if content_type.startswith(ZIP_TYPES):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return " ".join(
                    archive.read(name).decode("utf-8", "replace")
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return ""
    if content_type.startswith(TEXT_TYPES) or not content_type:
        return body.decode("utf-8", "replace")
    return ""


def _leaks(world: World, role: str, response: HttpResponse, body: bytes, url: str) -> list[str]:
    text = _text_of(response, body)
    if world.registration.token in url:
        # The registration's secret link shows the registrant their own details.
        text = text.replace(marker(A, "registrant"), "")
    if role == "platform_admin" and url.startswith("/admin/"):
        # Platform administrators run the whole platform and see every organisation's
        # records in the admin, but offers stay sealed there too until the deadline.
        return [m for m in world.markers if m in text and m.endswith(SEALED)]
    return [m for m, allowed in world.markers.items() if m in text and role not in allowed]


def _send(
    client: Client, method: str, url: str, *, api_token: str | None = None
) -> tuple[Any, bytes]:
    """The answer and its body. Nothing the request does lasts: its transaction is rolled
    back, the cache emptied, and the client's cookies put back (signing out in one request
    must not sign the person out of the next)."""
    cache.clear()
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)
    headers: dict[str, Any] = {}
    if api_token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token}"
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, **headers)
            elif method == "POST" and not url.startswith("/api/"):
                response = client.post(url, {}, **headers)
            else:
                response = client.generic(method, url, b"{}", "application/json", **headers)
            # Read a streamed body while the records still exist.
            if getattr(response, "streaming", False):
                body = response.getvalue()
            else:
                body = response.content
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, body


def _expect_refused(role: str, api: bool) -> str:
    return "login" if role == "anonymous" else "403"


# --- Exceptions to the general rule, each with its reason ---------------------------------


def _special(name: str, role: str, relation: str, world: World) -> tuple[str, str] | None:
    """(expected, why) where the page's own record rule decides more finely than the
    organisation: panels, moderation, the place partnership, authors of case studies."""
    on_panel = {"evaluator_erin", "lead_lucy", "evaluator_eve", "lead_bella"}
    scoring = ("procurement:evaluation", "procurement:evaluation_submit")
    moderating = ("procurement:moderation", "procurement:moderation_complete")
    story_pages = ("stories:edit", "stories:preview", "stories:submit", "stories:withdraw")
    place_lead_staff = ("lead_lucy", "officer_alice", "evaluator_erin", "cabinet_colin")
    if relation == "own":
        if name in scoring and role not in on_panel:
            return "403", "not on the tender's panel"
        if name in moderating and role not in ("lead_lucy", "lead_bella"):
            return "403", "neither the panel's moderator nor the lead"
        if name in story_pages and not role.startswith("supplier"):
            return "404", "the supplier's case study, not the buyer's"
        if name == "procurement:award" and role.startswith("evaluator"):
            return "403", "evaluators do not award"
        return None
    if name == "stories:review" and role == "lead_lucy":
        return "ok", "the service owner's lead moderates every case study"
    if name == "insights:cabinet_report_pdf" and role in place_lead_staff:
        return "ok", "Lancashire leads the place partnership Blackpool belongs to"
    return None


def page_attempts(world: World, name: str, route: str, rule: Rule) -> list[Attempt]:
    finder = PAGES.get(name)
    attempts = []
    for role, side in ROLES.items():
        own_side = side or A
        relations: list[tuple[str, Kwargs | None]]
        if "<" not in route:
            relations = [("own", {})]
        elif name in ROLE_PAGES:
            own = ROLE_PAGES[name](world, role, own_side)
            other = ROLE_PAGES[name](world, role, OTHER[own_side])
            relations = [("own", own)]
            if other is not None and other != own:
                relations.append(("other", other))
        else:
            assert finder is not None, f"{name} ({route}) is missing from the PAGES catalogue."
            own = finder(world, world.sides[own_side])
            other = finder(world, world.sides[OTHER[own_side]])
            relations = [("own", own)]
            if rule.reach in SIDED and other is not None and other != own:
                relations.append(("other", other))
        extra = [
            (f"own ({i + 1})", finder_(world, world.sides[own_side]), special_)
            for i, (finder_, special_) in enumerate(EXTRA_PAGES.get(name, []))
        ]
        for relation, kwargs, own_special in [(r, k, None) for r, k in relations] + extra:
            if kwargs is None:
                continue
            url = reverse(name, kwargs=kwargs or None)
            methods = ["GET", "POST"] if rule.writes is not None else ["GET"]
            for method in methods:
                user = world.users.get(role) or AnonymousUser()
                if not rule.admits(user, method):
                    expect, why = _expect_refused(role, api=False), "outside the rule's audience"
                elif relation == "other":
                    expect, why = "404", "the other organisation's record"
                else:
                    expect, why = "ok", "inside the rule"
                special = (
                    own_special(role) if own_special else _special(name, role, relation, world)
                )
                if special and expect != _expect_refused(role, api=False):
                    expect, why = special
                attempts.append(Attempt(role, method, url, expect, why))
    return attempts


def run_attempts(
    world: World, attempts: list[Attempt], clients: dict[str, Client]
) -> list[Outcome]:
    outcomes = []
    for attempt in attempts:
        client = clients[attempt.role]
        response, body = _send(client, attempt.method, attempt.url)
        if response.status_code == 405 and attempt.method == "GET":
            response, body = _send(client, "POST", attempt.url)
        outcomes.append(
            Outcome(
                attempt,
                response.status_code,
                response.get("Location", ""),
                _leaks(world, attempt.role, response, body, attempt.url),
            )
        )
    return outcomes


def _groups() -> dict[str, list[tuple[str, str, Rule]]]:
    groups: dict[str, list[tuple[str, str, Rule]]] = {}
    for route, pattern, namespace in checks.url_patterns():
        if namespace == "api":
            continue
        rule = rule_for(pattern.callback)
        assert rule is not None, f"{route} declares no access rule"
        if pattern.name is None:
            continue  # the /api/ catch-all and development error pages: tested elsewhere
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        groups.setdefault(namespace or "root", []).append((name, route, rule))
    return groups


GROUPS = _groups()


@pytest.fixture
def world(toms: FrameworkVersion) -> World:
    return build_world(toms)


def _report(
    outcomes: list[Outcome], what: str, record: Callable[[str, object], None], covered: int
) -> None:
    """Fail with every broken answer; otherwise record the counts for the summary line."""
    failures = [o.describe() for o in outcomes if o.failed]
    record("access_matrix", {"what": what, "covered": covered, "requests": len(outcomes)})
    assert not failures, f"{len(failures)} of {len(outcomes)} answers break the rules:\n" + (
        "\n".join(failures)
    )


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_page_answers_as_its_rule_says(
    world: World, group: str, record_property: Callable[[str, object], None]
) -> None:
    clients = _signed_in_clients(world)
    attempts = [
        attempt
        for name, route, rule in GROUPS[group]
        for attempt in page_attempts(world, name, route, rule)
    ]
    outcomes = run_attempts(world, attempts, clients)
    _report(outcomes, "URL patterns", record_property, len(GROUPS[group]))


def test_every_page_is_in_the_catalogue() -> None:
    named = {name for group in GROUPS.values() for name, route, _ in group if "<" in route}
    catalogue = set(PAGES) | set(ROLE_PAGES)
    assert named - catalogue == set(), "add these pages to PAGES"
    assert catalogue - named == set(), "these pages no longer exist"


# --- The API -----------------------------------------------------------------------------

ApiFinder = Callable[[World, Side], dict[str, Any] | None]

# Path parameters of each operation (by method and path), for a side; several records where
# the answer depends on the record's state.
API: dict[tuple[str, str], list[tuple[ApiFinder, Special | None]]] = {
    ("GET", "/api/v1/frameworks/{slug}/measures"): [(lambda w, s: {"slug": w.toms.slug}, None)],
    ("GET", "/api/v1/tenders/{tender_id}"): [
        (lambda w, s: {"tender_id": s.closed_tender.pk}, None)
    ],
    ("GET", "/api/v1/bids/{bid_id}"): [
        (lambda w, s: {"bid_id": s.closed_bid.pk}, None),
        (lambda w, s: {"bid_id": s.draft_bid.pk}, _drafts),
        (lambda w, s: {"bid_id": s.sealed_bid.pk}, lambda role: ("404", "sealed, another's")),
    ],
    ("PUT", "/api/v1/bids/{bid_id}"): [(lambda w, s: {"bid_id": s.draft_bid.pk}, None)],
    ("POST", "/api/v1/tenders/{tender_id}/bids"): [
        (lambda w, s: {"tender_id": s.closed_tender.pk}, None)
    ],
    ("POST", "/api/v1/bids/{bid_id}/submit"): [(lambda w, s: {"bid_id": s.draft_bid.pk}, None)],
    ("POST", "/api/v1/bids/{bid_id}/withdraw"): [(lambda w, s: {"bid_id": s.closed_bid.pk}, None)],
    ("POST", "/api/v1/bids/{bid_id}/reopen"): [(lambda w, s: {"bid_id": s.closed_bid.pk}, None)],
    ("GET", "/api/v1/contracts/{contract_id}"): [
        (lambda w, s: {"contract_id": s.contract.pk}, None)
    ],
    ("GET", "/api/v1/returns/{return_id}"): [
        (lambda w, s: {"return_id": s.submitted_return.pk}, None),
        (lambda w, s: {"return_id": s.draft_return.pk}, None),
    ],
    ("POST", "/api/v1/returns/{return_id}/submit"): [
        (lambda w, s: {"return_id": s.draft_return.pk}, None)
    ],
    ("POST", "/api/v1/returns/{return_id}/lines"): [
        (lambda w, s: {"return_id": s.draft_return.pk}, None)
    ],
    ("PATCH", "/api/v1/returns/{return_id}/lines/{line_id}"): [
        (lambda w, s: {"return_id": s.draft_return.pk, "line_id": s.draft_line.pk}, None)
    ],
    ("DELETE", "/api/v1/returns/{return_id}/lines/{line_id}"): [
        (lambda w, s: {"return_id": s.draft_return.pk, "line_id": s.draft_line.pk}, None)
    ],
    ("POST", "/api/v1/returns/{return_id}/lines/{line_id}/answer"): [
        (lambda w, s: {"return_id": s.submitted_return.pk, "line_id": s.submitted_line.pk}, None)
    ],
    **{
        ("POST", f"/api/v1/returns/{{return_id}}/lines/{{line_id}}/{decision}"): [
            (
                lambda w, s: {"return_id": s.submitted_return.pk, "line_id": s.submitted_line.pk},
                None,
            ),
            (lambda w, s: {"return_id": s.draft_return.pk, "line_id": s.draft_line.pk}, _drafts),
        ]
        for decision in ("verify", "query", "reject")
    },
    ("POST", "/api/v1/returns/{return_id}/lines/{line_id}/evidence"): [
        (lambda w, s: {"return_id": s.draft_return.pk, "line_id": s.draft_line.pk}, None)
    ],
    ("GET", "/api/v1/evidence/{evidence_id}"): [
        (lambda w, s: {"evidence_id": s.submitted_evidence.pk}, None),
        (lambda w, s: {"evidence_id": s.draft_evidence.pk}, _drafts),
    ],
    ("DELETE", "/api/v1/evidence/{evidence_id}"): [
        (lambda w, s: {"evidence_id": s.draft_evidence.pk}, None)
    ],
    ("GET", "/api/v1/partners/{slug}"): [(lambda w, s: {"slug": w.partner_profile.slug}, None)],
    ("GET", "/api/v1/case-studies/{slug}"): [(lambda w, s: {"slug": s.published_story.slug}, None)],
}


def _api_rules() -> dict[tuple[str, str], Rule]:
    rules = {}
    for method, path, operation in checks.api_operations():
        rule = rule_for(operation.view_func)
        assert rule is not None, f"{method} {path} declares no access rule"
        rules[(method, "/api/v1" + path)] = rule
    return rules


def api_attempts(world: World, document: dict[str, Any]) -> list[Attempt]:
    rules = _api_rules()
    attempts = []
    for path, operations in document["paths"].items():
        for method in operations:
            key = (method.upper(), path)
            rule = rules[key]
            if "{" in path:
                assert key in API, f"{key} is missing from the API catalogue"
                finders = API[key]
            else:
                finders = [(lambda w, s: {}, None)]
            for role, side in ROLES.items():
                own_side = side or A
                user = world.users.get(role) or AnonymousUser()
                for number, (finder, special) in enumerate(finders):
                    own = finder(world, world.sides[own_side])
                    other = finder(world, world.sides[OTHER[own_side]])
                    relations: list[tuple[str, dict[str, Any] | None, Special | None]] = [
                        ("own", own, special)
                    ]
                    if number == 0 and rule.reach in SIDED and other != own:
                        relations.append(("other", other, None))
                    for relation, params, own_special in relations:
                        assert params is not None
                        url = path.format(**params)
                        if not rule.admits(user, key[0]):
                            expect, why = _expect_refused(role, api=True), "outside the audience"
                        elif relation == "other":
                            expect, why = "404", "the other organisation's record"
                        else:
                            expect, why = "ok", "inside the rule"
                            found = own_special(role) if own_special else None
                            if found:
                                expect, why = found
                        attempts.append(Attempt(role, key[0], url, expect, why))
    return attempts


def test_every_api_operation_answers_as_its_rule_says(
    world: World, client: Client, record_property: Callable[[str, object], None]
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    attempts = api_attempts(world, document)
    anonymous = Client()
    outcomes = []
    for attempt in attempts:
        token = None if attempt.role == "anonymous" else world.raw_tokens[attempt.role]
        response, body = _send(anonymous, attempt.method, attempt.url, api_token=token)
        outcomes.append(
            Outcome(
                attempt,
                response.status_code,
                "",
                _leaks(world, attempt.role, response, body, attempt.url),
            )
        )
    operations = sum(len(ops) for ops in document["paths"].values())
    _report(outcomes, "API operations", record_property, operations)


# --- The admin -----------------------------------------------------------------------------


def admin_urls(world: World) -> list[str]:
    """The admin's index, each application's page and each model's pages, on a record of
    each kind where there is one."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    apps = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        apps.add(meta.app_label)
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        record = model_admin.get_queryset(_admin_request(world)).order_by("pk").first()
        if record is not None:
            for page in ("change", "history", "delete"):
                urls.append(reverse(f"{prefix}_{page}", args=[record.pk]))
            if meta.model_name == "user":
                urls.append(reverse("admin:auth_user_password_change", args=[record.pk]))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
    return urls


def _admin_request(world: World) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.users["platform_admin"]
    return request


def test_only_platform_administrators_get_into_the_admin(
    world: World, record_property: Callable[[str, object], None]
) -> None:
    clients = _signed_in_clients(world)
    attempts = []
    urls = admin_urls(world)
    for url in urls:
        for role in ROLES:
            expect = "in" if role == "platform_admin" else "login"
            why = "the admin is for platform administrators only"
            attempts.append(Attempt(role, "GET", url, expect, why))
            if role != "platform_admin" and not url.endswith(("/history/", "/password/")):
                attempts.append(Attempt(role, "POST", url, expect, why))
    outcomes = run_attempts(world, attempts, clients)
    _report(outcomes, "admin pages", record_property, len(urls))


_unused = (B,)
