"""Demonstration partners: six fictional Lancashire organisations with published profiles, a
partner user at Community Futures Lancashire, and one change waiting for the lead's approval.

Idempotent: organisations, profiles and the user are found by name and email on a second run.
"""

from typing import Any

from django.utils.text import slugify

from socialvalue.accounts.models import Organisation, User
from socialvalue.bootstrap.demo.accounts import DEMO_PASSWORD
from socialvalue.core.geography import District
from socialvalue.partners.models import PartnerType
from socialvalue.partners.services import (
    partner_profile_ensure,
    partner_revision_approve,
    partner_revision_save,
    partner_revision_submit,
)

PARTNER_USER_EMAIL = "partner@communityfutures.example"
LEAD_EMAIL = "lead@lancashire.example"

PARTNERS: list[dict[str, Any]] = [
    {
        "name": "Lancashire Skills and Employment Hub",
        "postcode": "PR1 8XJ",
        "partner_type": PartnerType.EMPLOYMENT_SKILLS,
        "summary": (
            "Matches employers with local people looking for work, and runs pre-employment "
            "training and apprenticeship brokerage across the county."
        ),
        "description": (
            "We work with Jobcentre Plus, colleges and community groups in every Lancashire "
            "district to help people into work, including those furthest from the labour "
            "market.\n\nSuppliers can use us to advertise contract vacancies locally, to "
            "recruit apprentices and to offer 'support into work' sessions such as mock "
            "interviews and CV workshops. There is no charge for our brokerage service."
        ),
        "serves_all_lancashire": True,
        "districts": [],
        "measure_codes": ["NT1", "NT3", "NT4", "NT10", "NT11"],
        "example_offers": (
            "Advertise your contract vacancies to local jobseekers through our network\n"
            "Shortlisting and interview days for apprenticeship candidates\n"
            "Sector-based work academies: two weeks of training with a guaranteed interview\n"
            "Mock interviews and CV workshops run by your staff at our hub"
        ),
        "contact_name": "Employer Partnerships Team",
        "contact_email": "employers@skillshub.example",
        "contact_phone": "01772 530 100",
        "website": "https://skillshub.example/employers",
    },
    {
        "name": "Community Futures Lancashire",
        "postcode": "PR1 3NQ",
        "is_vcse": True,
        "partner_type": PartnerType.VCSE,
        "summary": (
            "Supports community groups and charities in Preston and Central Lancashire, and "
            "places corporate volunteers where they are most needed."
        ),
        "description": (
            "Community Futures Lancashire is the infrastructure charity for voluntary and "
            "community groups in Central Lancashire. We know which food banks, youth clubs "
            "and community centres need help, and we match businesses' volunteers, donations "
            "and expertise to them.\n\nWe report back on the hours given and the groups "
            "supported, so that suppliers have the evidence they need for their returns."
        ),
        "serves_all_lancashire": False,
        "districts": [District.PRESTON, District.CHORLEY],
        "measure_codes": ["NT17", "NT28", "NT29"],
        "example_offers": (
            "Team volunteering days at food banks and community gardens\n"
            "Skilled volunteering: finance, HR or IT advice for small charities\n"
            "Matching in-kind donations of equipment or materials to local groups"
        ),
        "contact_name": "Volunteering team",
        "contact_email": "volunteering@communityfutures.example",
        "contact_phone": "01772 204 400",
        "website": "https://communityfutures.example",
    },
    {
        "name": "Ribble Rivers Nature Trust",
        "postcode": "BB7 2DP",
        "is_vcse": True,
        "partner_type": PartnerType.ENVIRONMENTAL,
        "summary": (
            "Restores river banks, woodland and wildflower meadows in the Ribble valley, "
            "with volunteers from local businesses."
        ),
        "description": (
            "The trust looks after more than 40 sites along the Ribble and its tributaries. "
            "We run practical conservation days for company teams and can help contractors "
            "design habitat improvements on or near their sites.\n\nAll volunteering days are "
            "led by our rangers, with tools and safety equipment provided."
        ),
        "serves_all_lancashire": False,
        "districts": [
            District.RIBBLE_VALLEY,
            District.PRESTON,
            District.SOUTH_RIBBLE,
            District.FYLDE,
        ],
        "measure_codes": ["NT85", "NT86"],
        "example_offers": (
            "Conservation volunteering days for teams of 6 to 20 people\n"
            "Advice on creating habitats and green spaces on construction sites\n"
            "Tree planting in the winter season"
        ),
        "contact_name": "Sam Hargreaves, Volunteering Coordinator",
        "contact_email": "volunteer@ribblerivers.example",
        "contact_phone": "01200 420 777",
        "website": "https://ribblerivers.example",
    },
    {
        "name": "Burnley Youth Employment Project",
        "postcode": "BB11 1JG",
        "is_vcse": True,
        "partner_type": PartnerType.VCSE,
        "summary": (
            "Helps young people aged 16 to 24 in Burnley and Pendle into their first job "
            "through mentoring and meaningful work placements."
        ),
        "description": (
            "Burnley has one of the highest shares of neighbourhoods with high employment "
            "deprivation in England. We work with schools, care leavers' teams and employers "
            "to give young people a real start.\n\nWe find, prepare and support placement "
            "candidates, and stay in touch with them and their supervisor throughout."
        ),
        "serves_all_lancashire": False,
        "districts": [District.BURNLEY, District.PENDLE],
        "measure_codes": ["NT4", "NT12"],
        "example_offers": (
            "Two-week paid work placements for young people not in education or work\n"
            "Mentoring by your staff, one hour a fortnight for six months\n"
            "Workplace visits for Year 10 and 11 groups"
        ),
        "contact_name": "Placements team",
        "contact_email": "placements@burnleyyouth.example",
        "contact_phone": "01282 450 320",
        "website": "",
    },
    {
        "name": "Pendle Carers Network",
        "postcode": "BB9 9AF",
        "is_vcse": True,
        "partner_type": PartnerType.HEALTH,
        "summary": (
            "Supports unpaid carers and older people in Pendle to stay well and live independently."
        ),
        "description": (
            "We run carers' cafés, befriending and a small-repairs service for older and "
            "disabled people in Pendle. Businesses can help by volunteering as befrienders, "
            "sponsoring health activities or giving trades time to our repairs service."
        ),
        "serves_all_lancashire": False,
        "districts": [District.PENDLE],
        "measure_codes": ["NT27", "NT26"],
        "example_offers": (
            "Befriending: a weekly call or visit to an older person living alone\n"
            "Trades volunteers for small home repairs and adaptations\n"
            "Sponsorship of our walking and wellbeing groups"
        ),
        "contact_name": "Aisha Khan, Partnerships Officer",
        "contact_email": "hello@pendlecarers.example",
        "contact_phone": "01282 698 010",
        "website": "https://pendlecarers.example",
    },
    {
        "name": "Red Rose Business Growth Hub",
        "postcode": "LA1 4XQ",
        "partner_type": PartnerType.BUSINESS_SUPPORT,
        "summary": (
            "Connects large contractors with small Lancashire firms and social enterprises, "
            "and arranges expert business advice for them."
        ),
        "description": (
            "We help micro, small and medium-sized businesses and VCSEs win work in the "
            "supply chains of public contracts. Contractors can find local subcontractors "
            "through our supplier events and give their specialists' time as business "
            "advisers to growing firms."
        ),
        "serves_all_lancashire": True,
        "districts": [],
        "measure_codes": ["NT15", "NT19"],
        "example_offers": (
            "Meet-the-buyer events with local small firms before a contract starts\n"
            "Expert advice sessions on bidding, finance or digital for small businesses\n"
            "A directory of Lancashire subcontractors by trade"
        ),
        "contact_name": "Supply Chain Team",
        "contact_email": "supplychain@redrosegrowth.example",
        "contact_phone": "01524 580 200",
        "website": "https://redrosegrowth.example",
    },
]

# Waiting for the lead's decision in the demo: Community Futures wants to add South Ribble.
PENDING_CHANGE = {
    "summary": (
        "Supports community groups and charities in Preston, Chorley and South Ribble, and "
        "places corporate volunteers where they are most needed."
    ),
    "districts": [District.PRESTON, District.CHORLEY, District.SOUTH_RIBBLE],
}

CONTENT_KEYS = (
    "partner_type",
    "summary",
    "description",
    "serves_all_lancashire",
    "districts",
    "measure_codes",
    "example_offers",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
)


def _organisation(spec: dict[str, Any]) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=spec["name"],
        defaults={
            "slug": slugify(spec["name"]),
            "kind": Organisation.Kind.PARTNER,
            "size": Organisation.Size.SMALL,
            "postcode": spec.get("postcode", ""),
            "is_vcse": spec.get("is_vcse", False),
            "website": spec.get("website", ""),
        },
    )
    return organisation


def _partner_user(organisation: Organisation) -> User:
    user = User.objects.filter(email=PARTNER_USER_EMAIL).first()
    if user is None:
        user = User(
            email=PARTNER_USER_EMAIL,
            full_name="Priya Patel",
            job_title="Volunteering Manager",
            role=User.Role.PARTNER,
            organisation=organisation,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def partners_demo() -> None:
    """Published profiles for six partners, and one change waiting for approval."""
    lead = User.objects.filter(email=LEAD_EMAIL).first()
    if lead is None:
        return
    for spec in PARTNERS:
        organisation = _organisation(spec)
        profile = partner_profile_ensure(organisation=organisation)
        if profile.revisions.exists():
            continue
        content = {key: spec[key] for key in CONTENT_KEYS}
        revision = partner_revision_save(profile=profile, user=lead, content=content)
        revision = partner_revision_submit(revision=revision, user=lead)
        partner_revision_approve(
            revision=revision, reviewer=lead, note="Checked with the organisation."
        )

    community = Organisation.objects.get(name="Community Futures Lancashire")
    user = _partner_user(community)
    profile = partner_profile_ensure(organisation=community)
    if not profile.revisions.filter(created_by=user).exists():
        spec = next(p for p in PARTNERS if p["name"] == community.name)
        content = {key: spec[key] for key in CONTENT_KEYS} | PENDING_CHANGE
        revision = partner_revision_save(profile=profile, user=user, content=content)
        partner_revision_submit(revision=revision, user=user)
