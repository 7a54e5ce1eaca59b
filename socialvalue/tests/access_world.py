"""The world the access matrix walks: two buying organisations, each with its own people and
records of every kind, two suppliers, a partner, a platform administrator and nobody.

Side A is Lancashire County Council, the organisation running the service
(``settings.SERVICE_OWNER``); side B is Blackpool Council. Supplier Bob holds A's contract and
bids in A's tenders; supplier Carol does the same with B. Lancashire leads the Greater
Lancashire place partnership, of which Blackpool is a member.

Every private record carries a *marker*, a word that appears nowhere else, with the people
allowed to see it; the matrix reads every answer and fails if a marker reaches anyone else.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socialvalue.accounts.invitations import invitation_create
from socialvalue.accounts.models import ApiToken, Invitation, Organisation, ServiceArea, User
from socialvalue.accounts.tests.factories import (
    OrganisationFactory,
    ServiceAreaFactory,
    UserFactory,
)
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.models import Contract, Evidence, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import LineInput, line_add, return_submit
from socialvalue.contracts.services import contract_register
from socialvalue.core.geography import District
from socialvalue.core.quarters import quarter_of
from socialvalue.engagement.models import Event, Post, Registration
from socialvalue.engagement.services import (
    event_create,
    event_publish,
    post_create,
    post_publish,
    registration_create,
)
from socialvalue.engagement.tests.conftest import event_data
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.insights.models import Place, Statement, TrainingCompletion, TrainingCourse
from socialvalue.insights.statement import statement_create, statement_publish
from socialvalue.insights.tests.statement_support import write_all
from socialvalue.insights.training import completion_record, course_create
from socialvalue.needs.models import Area, MeasureNeedLink
from socialvalue.partners.models import PartnerProfile, PartnerProfileRevision
from socialvalue.partners.services import (
    partner_profile_ensure,
    partner_revision_save,
    partner_revision_submit,
)
from socialvalue.partners.tests.conftest import content as partner_content
from socialvalue.partners.tests.conftest import publish as partner_publish
from socialvalue.procurement.models import (
    Bid,
    Commitment,
    PanelMember,
    QualitativeResponse,
    Tender,
)
from socialvalue.procurement.services import tender_create
from socialvalue.site.models import Faq, Feedback, Page, Resource
from socialvalue.site.services import (
    content_publish,
    faq_create,
    feedback_submit,
    page_policy_create,
    resource_create,
)
from socialvalue.site.tests.conftest import pdf_upload
from socialvalue.stories.images import image_prepare
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.services import case_study_publish, case_study_save, case_study_submit
from socialvalue.stories.tests.conftest import content as story_content
from socialvalue.stories.tests.conftest import picture

A, B = "A", "B"
OTHER = {A: B, B: A}

# The cast, by name; each person belongs to one side (None: nobody's).
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "platform_admin": None,
    "lead_lucy": A,
    "officer_alice": A,
    "evaluator_erin": A,
    "cabinet_colin": A,
    "supplier_bob": A,
    "partner_priya": A,
    "lead_bella": B,
    "officer_olga": B,
    "evaluator_eve": B,
    "cabinet_carl": B,
    "supplier_carol": B,
}
STAFF_A = {"lead_lucy", "officer_alice", "evaluator_erin"}
STAFF_B = {"lead_bella", "officer_olga", "evaluator_eve"}
STAFF = {A: STAFF_A, B: STAFF_B}
READERS = {A: STAFF_A | {"cabinet_colin"}, B: STAFF_B | {"cabinet_carl"}}
SUPPLIER = {A: "supplier_bob", B: "supplier_carol"}
LEAD = {A: "lead_lucy", B: "lead_bella"}


@dataclass
class Side:
    """One buying organisation's records."""

    name: str
    buyer: Organisation
    supplier: Organisation
    draft_tender: Tender
    open_tender: Tender
    closed_tender: Tender
    draft_bid: Bid  # the supplier's offer in the open tender, still a draft
    draft_commitment: Commitment
    sealed_bid: Bid  # submitted in the open tender: sealed until the deadline
    closed_bid: Bid  # submitted in the closed tender: the panel evaluates it
    contract: Contract
    submitted_return: Return  # two quarters ago, submitted, its line awaiting verification
    submitted_line: ReturnLine
    submitted_evidence: Evidence
    draft_return: Return  # last quarter, not yet submitted
    draft_line: ReturnLine
    draft_evidence: Evidence
    published_story: CaseStudy
    submitted_story: CaseStudy
    draft_story: CaseStudy
    staff_story: CaseStudy  # a draft by the buyer's officer
    statement: Statement
    course: TrainingCourse
    completion: TrainingCompletion


@dataclass
class People:
    """One organisation's people pages: a colleague to manage, an invitation, its structure."""

    organisation: Organisation
    colleague: User
    invitation: Invitation
    invitation_secret: str
    service_area: ServiceArea | None = None


@dataclass
class World:
    users: dict[str, User]
    organisations: dict[str, People]
    sides: dict[str, Side]
    toms: FrameworkVersion
    tokens: dict[str, ApiToken]
    raw_tokens: dict[str, str]
    partner_profile: PartnerProfile
    partner_revision: PartnerProfileRevision
    event: Event
    registration: Registration
    post: Post
    resource: Resource
    faq: Faq
    policy_page: Page
    feedback: Feedback
    need_link: MeasureNeedLink
    district: Area
    place: Place
    published_statement: Statement
    # marker -> the people allowed to see it
    markers: dict[str, set[str]] = field(default_factory=dict)

    def side_of(self, role: str) -> Side:
        return self.sides[ROLES[role] or A]

    def organisation_of(self, role: str, side: str | None = None) -> People | None:
        """The organisation ``role`` belongs to, or its counterpart on ``side``."""
        side = side or ROLES[role] or A
        if role.startswith("supplier"):
            return self.organisations[f"supplier {side}"]
        if role.startswith("partner"):
            return self.organisations["partner"] if side == A else None
        return self.organisations[f"buyer {side}"]


def marker(side: str, what: str) -> str:
    """A word that appears nowhere but in the record it marks."""
    return f"zq{side}{what}qz"


def _user(
    email: str, name: str, role: str, organisation: Organisation | None, **extra: Any
) -> User:
    return UserFactory.create(
        email=email, full_name=name, role=role, organisation=organisation, **extra
    )


def _measures(version: FrameworkVersion) -> dict[str, Measure]:
    return {m.code: m for m in Measure.objects.filter(version=version)}


def _tender(side: str, buyer: Organisation, officer: User, status: str, days: int) -> Tender:
    tender = tender_create(
        organisation=buyer,
        created_by=officer,
        reference=f"{side}-{status}",
        title=f"Tender {marker(side, status + 'tender')}",
        description="Highways maintenance across the district.",
        category=Tender.Category.HIGHWAYS,
        estimated_value=Decimal("1000000.00"),
        duration_months=36,
        deadline=timezone.now() + timedelta(days=days),
    )
    tender.status = status
    tender.deadline = timezone.now() + timedelta(days=days)
    if status != Tender.Status.DRAFT:
        tender.opened_at = timezone.now() - timedelta(days=30)
    tender.save()
    return tender


def _bid(tender: Tender, supplier: Organisation, status: str, words: str) -> tuple[Bid, Commitment]:
    bid = Bid.objects.create(
        tender=tender,
        supplier=supplier,
        price=Decimal("500000.00"),
        status=status,
        submitted_at=timezone.now() - timedelta(days=1) if status != Bid.Status.DRAFT else None,
        receipt_reference=f"R-{tender.pk}-{supplier.pk}" if status != Bid.Status.DRAFT else "",
    )
    commitment = Commitment.objects.create(
        bid=bid,
        measure=Measure.objects.get(version=tender.framework_version, code="NT1"),
        quantity=Decimal("3"),
        order=1,
    )
    QualitativeResponse.objects.create(
        commitment=commitment,
        activity=f"Deliver jobs {words}.",
        who_delivers="Our social value manager.",
        timing="Quarterly.",
        partners="",
        evidence="Payroll extracts.",
    )
    return bid, commitment


def _evidence(line: ReturnLine, name: str, by: User) -> Evidence:
    upload = SimpleUploadedFile(
        f"{name}.csv", f"name,hours\n{name},10\n".encode(), content_type="text/csv"
    )
    return evidence_add(line, upload, by=by)


def _story(author: User, title: str, contract: Contract | None, year: int) -> CaseStudy:
    return case_study_save(
        user=author,
        content=story_content(
            title=title, contract=contract, year=year, image_alt="A crew at work"
        ),
        image=image_prepare(picture()),
    )


def build_world(toms: FrameworkVersion) -> World:
    """Make the whole world (about two seconds)."""
    council = OrganisationFactory.create(
        name="Lancashire County Council", kind=Organisation.Kind.BUYER, size="large"
    )
    blackpool = OrganisationFactory.create(
        name="Blackpool Council", kind=Organisation.Kind.BUYER, size="large"
    )
    bobs = OrganisationFactory.create(
        name="Bob's Building Ltd",
        kind=Organisation.Kind.SUPPLIER,
        size="small",
        postcode="PR1 2HE",
    )
    carols = OrganisationFactory.create(
        name="Carol's Care CIC",
        kind=Organisation.Kind.SUPPLIER,
        size="micro",
        is_vcse=True,
        postcode="FY1 1AA",
    )
    community = OrganisationFactory.create(
        name="Community Futures Lancashire", kind=Organisation.Kind.PARTNER, is_vcse=True
    )
    highways_a = ServiceAreaFactory.create(
        directorate__organisation=council, directorate__name="Growth", name="Highways"
    )
    highways_b = ServiceAreaFactory.create(
        directorate__organisation=blackpool, directorate__name="Place", name="Traffic"
    )
    users = {
        "lead_lucy": _user("lucy@lancashire.example", "Lucy Lead", "lead", council),
        "officer_alice": _user(
            "alice@lancashire.example",
            "Alice Officer",
            "officer",
            council,
            service_area=highways_a,
        ),
        "evaluator_erin": _user("erin@lancashire.example", "Erin Evaluator", "evaluator", council),
        "cabinet_colin": _user("colin@lancashire.example", "Colin Cabinet", "cabinet", council),
        "supplier_bob": _user("bob@bobsbuilding.example", "Bob Builder", "supplier", bobs),
        "partner_priya": _user(
            "priya@communityfutures.example", "Priya Patel", "partner", community
        ),
        "lead_bella": _user("bella@blackpool.example", "Bella Lead", "lead", blackpool),
        "officer_olga": _user(
            "olga@blackpool.example",
            "Olga Officer",
            "officer",
            blackpool,
            service_area=highways_b,
        ),
        "evaluator_eve": _user("eve@blackpool.example", "Eve Evaluator", "evaluator", blackpool),
        "cabinet_carl": _user("carl@blackpool.example", "Carl Cabinet", "cabinet", blackpool),
        "supplier_carol": _user("carol@carolscare.example", "Carol Carer", "supplier", carols),
        "platform_admin": _user(
            "ada@platform.example", "Ada Admin", "", None, is_superuser=True, is_staff=True
        ),
    }
    markers: dict[str, set[str]] = {}
    today = timezone.localdate()
    last = quarter_of(today).previous()
    before = last.previous()
    measures = _measures(toms)

    sides: dict[str, Side] = {}
    for side, buyer, supplier in ((A, council, bobs), (B, blackpool, carols)):
        lead = users[LEAD[side]]
        officer = users["officer_alice" if side == A else "officer_olga"]
        evaluator = users["evaluator_erin" if side == A else "evaluator_eve"]
        supplier_user = users[SUPPLIER[side]]
        staff = STAFF[side]

        draft_tender = _tender(side, buyer, officer, Tender.Status.DRAFT, 30)
        open_tender = _tender(side, buyer, officer, Tender.Status.OPEN, 14)
        closed_tender = _tender(side, buyer, officer, Tender.Status.CLOSED, -1)
        PanelMember.objects.create(tender=closed_tender, user=evaluator)
        PanelMember.objects.create(tender=closed_tender, user=lead, is_moderator=True)
        markers[marker(side, "drafttender")] = set(staff)
        markers[marker(side, "closedtender")] = set(staff) | {supplier_user_name(side)}
        # An open tender is advertised to every supplier.
        markers[marker(side, "opentender")] = set(staff) | {"supplier_bob", "supplier_carol"}

        draft_bid, draft_commitment = _bid(
            open_tender, supplier, Bid.Status.DRAFT, marker(side, "draftoffer")
        )
        markers[marker(side, "draftoffer")] = {supplier_user_name(side)}
        other_supplier = carols if side == A else bobs
        sealed_bid, _ = _bid(
            open_tender, other_supplier, Bid.Status.SUBMITTED, marker(side, "sealedoffer")
        )
        markers[marker(side, "sealedoffer")] = {supplier_user_name(OTHER[side])}
        closed_bid, _ = _bid(
            closed_tender, supplier, Bid.Status.SUBMITTED, marker(side, "closedoffer")
        )
        markers[marker(side, "closedoffer")] = set(staff) | {supplier_user_name(side)}

        contract = contract_register(
            organisation=buyer,
            supplier=supplier,
            reference=f"{side}-CONTRACT",
            title=f"Contract {marker(side, 'contract')}",
            lever=Contract.Lever.PROCUREMENT,
            value=Decimal("900000.00"),
            start_date=before.previous().start,
            end_date=last.next().next().end,
            framework_version=toms,
            targets=[(measures["NT1"], Decimal("9"))],
            directorate=highways_a.directorate if side == A else highways_b.directorate,
            service_area=highways_a if side == A else highways_b,
            contract_manager=officer,
            by=officer,
        )
        # The service owner's leads read it too, in the case studies about it they moderate.
        markers[marker(side, "contract")] = READERS[side] | {supplier_user_name(side), "lead_lucy"}

        submitted_return, _ = Return.objects.get_or_create(
            supplier=supplier, period=period_for(before)
        )
        submitted_line = line_add(
            submitted_return,
            LineInput(
                contract,
                measures["NT1"],
                Decimal("2"),
                District.PRESTON.value,
                f"Two jobs {marker(side, 'submittedline')}",
            ),
            by=supplier_user,
        )
        submitted_evidence = _evidence(
            submitted_line, marker(side, "submittedevidence"), supplier_user
        )
        return_submit(submitted_return, by=supplier_user)
        markers[marker(side, "submittedline")] = set(staff) | {supplier_user_name(side)}
        markers[marker(side, "submittedevidence")] = set(staff) | {supplier_user_name(side)}

        draft_return, _ = Return.objects.get_or_create(supplier=supplier, period=period_for(last))
        draft_line = line_add(
            draft_return,
            LineInput(
                contract,
                measures["NT1"],
                Decimal("1"),
                District.PRESTON.value,
                f"One job {marker(side, 'draftline')}",
            ),
            by=supplier_user,
        )
        draft_evidence = _evidence(draft_line, marker(side, "draftevidence"), supplier_user)
        # Until the supplier submits, its lines and their evidence are its own.
        markers[marker(side, "draftline")] = {supplier_user_name(side)}
        markers[marker(side, "draftevidence")] = {supplier_user_name(side)}

        year = today.year
        draft_story = _story(supplier_user, f"Draft {marker(side, 'draftstory')}", contract, year)
        markers[marker(side, "draftstory")] = {supplier_user_name(side)}
        submitted_story = case_study_submit(
            case_study=_story(
                supplier_user, f"Waiting {marker(side, 'submittedstory')}", contract, year
            ),
            user=supplier_user,
        )
        # The service owner's leads moderate every case study; the other lead its own.
        markers[marker(side, "submittedstory")] = {
            supplier_user_name(side),
            "lead_lucy",
            LEAD[side],
        }
        published_story = case_study_submit(
            case_study=_story(supplier_user, f"Story of side {side}", None, year),
            user=supplier_user,
        )
        staff_story = _story(officer, f"Officer draft {marker(side, 'staffstory')}", contract, year)
        markers[marker(side, "staffstory")] = set(staff) | {
            "cabinet_colin" if side == A else "cabinet_carl"
        }
        published_story = case_study_publish(
            case_study=published_story, reviewer=users["lead_lucy"]
        )

        statement = statement_create(
            organisation=buyer,
            year=today.year - 1,
            by=lead,
            title=f"Statement {marker(side, 'statement')}",
        )
        markers[marker(side, "statement")] = READERS[side]
        course = course_create(
            organisation=buyer,
            title=f"Course {marker(side, 'course')}",
            kind="e_learning",
            by=lead,
        )
        markers[marker(side, "course")] = set(staff)
        completion = completion_record(
            course=course, officer=officer, completed_on=today - timedelta(days=10), by=lead
        )
        sides[side] = Side(
            name=side,
            buyer=buyer,
            supplier=supplier,
            draft_tender=draft_tender,
            open_tender=open_tender,
            closed_tender=closed_tender,
            draft_bid=draft_bid,
            draft_commitment=draft_commitment,
            sealed_bid=sealed_bid,
            closed_bid=closed_bid,
            contract=contract,
            submitted_return=submitted_return,
            submitted_line=submitted_line,
            submitted_evidence=submitted_evidence,
            draft_return=draft_return,
            draft_line=draft_line,
            draft_evidence=draft_evidence,
            published_story=published_story,
            submitted_story=submitted_story,
            draft_story=draft_story,
            staff_story=staff_story,
            statement=statement,
            course=course,
            completion=completion,
        )

    lead = users["lead_lucy"]
    profile, _ = partner_publish(
        partner_profile_ensure(organisation=community), lead, summary="Helps local groups."
    )
    revision = partner_revision_submit(
        revision=partner_revision_save(
            profile=profile,
            user=users["partner_priya"],
            content=partner_content(summary=f"Changes {marker(A, 'partnerchange')}"),
        ),
        user=users["partner_priya"],
    )
    markers[marker(A, "partnerchange")] = {"partner_priya", "lead_lucy"}
    event = event_publish(event=event_create(by=lead, data=event_data(organiser=council)), by=lead)
    registration = registration_create(
        event=event, name=f"Rita {marker(A, 'registrant')}", email="rita@example.org"
    )
    markers[marker(A, "registrant")] = {"lead_lucy"}
    post = post_publish(
        post=post_create(
            by=lead,
            data={
                "title": "The Lancashire TOMs are published",
                "kind": Post.Kind.NEWS,
                "summary": "The framework for every tender above £100,000.",
                "body": "Read about the measures.",
            },
        ),
        by=lead,
    )
    resource = resource_create(
        user=lead,
        title="Social value ITT wording",
        category="itt_wording",
        audience="everyone",
        description="The standard wording.",
        url="",
        upload=pdf_upload("itt-wording.pdf"),
    )
    resource = content_publish(item=resource, user=lead)
    faq = content_publish(
        item=faq_create(
            user=lead,
            question="What is social value?",
            category="basics",
            order=10,
            answer="The extra good a contract does locally.",
        ),
        user=lead,
    )
    policy_page = page_policy_create(user=lead, publish=True)
    feedback = feedback_submit(
        role="resident", went_well=f"Kind staff {marker(A, 'feedback')}", name="Fay"
    )
    markers[marker(A, "feedback")] = {"lead_lucy"}
    district = Area.objects.create(code="E07000123", name="Preston", level=Area.Level.DISTRICT)
    need_link = MeasureNeedLink.objects.create(
        measure_code="NT1", domain="employment", note="Local jobs", created_by=lead
    )
    place = Place.objects.create(
        name="Greater Lancashire", slug="greater-lancashire", lead_organisation=council
    )
    place.members.set([council, blackpool])
    published_statement = statement_create(organisation=council, year=today.year - 2, by=lead)
    write_all(published_statement)
    published_statement = statement_publish(published_statement, by=lead)
    organisations: dict[str, People] = {}
    for key, organisation, colleague_role, inviter, area in (
        ("buyer A", council, "officer", "lead_lucy", highways_a),
        ("buyer B", blackpool, "officer", "lead_bella", highways_b),
        ("supplier A", bobs, "supplier", "supplier_bob", None),
        ("supplier B", carols, "supplier", "supplier_carol", None),
        ("partner", community, "partner", "partner_priya", None),
    ):
        slug = organisation.slug
        colleague = _user(
            f"colleague@{slug}.example", f"Colleague at {slug}", colleague_role, organisation
        )
        invitation, secret = invitation_create(
            organisation=organisation,
            email=f"newcomer@{slug}.example",
            role=colleague_role,
            by=users[inviter],
        )
        organisations[key] = People(organisation, colleague, invitation, secret, area)
    tokens: dict[str, ApiToken] = {}
    raw_tokens: dict[str, str] = {}
    for name, user in users.items():
        raw = ApiToken.generate()
        tokens[name] = ApiToken.objects.create(
            user=user, name=f"{name} token", key_prefix=raw[:12], key_hash=ApiToken.hash(raw)
        )
        raw_tokens[name] = raw
    return World(
        users=users,
        organisations=organisations,
        sides=sides,
        toms=toms,
        tokens=tokens,
        raw_tokens=raw_tokens,
        partner_profile=profile,
        partner_revision=revision,
        event=event,
        registration=registration,
        post=post,
        resource=resource,
        faq=faq,
        policy_page=policy_page,
        feedback=feedback,
        need_link=need_link,
        district=district,
        place=place,
        published_statement=published_statement,
        markers=markers,
    )


def supplier_user_name(side: str) -> str:
    return SUPPLIER[side]


__all__ = ["A", "B", "OTHER", "ROLES", "People", "Side", "World", "build_world", "marker"]
_unused = date
