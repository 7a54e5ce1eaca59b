"""Demonstration organisations and users: the councils with their directorates and service
areas, the suppliers, the partners, their staff and the platform administrator.

The first part of the demo (``socialvalue.bootstrap.demo``); every other part finds what it
needs here by name and email. Idempotent: running it again finds what is already there.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User

DEMO_PASSWORD = "demo-social-value-2024"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


COUNCIL = "Lancashire County Council"

STRUCTURE: dict[str, dict[str, list[str]]] = {
    COUNCIL: {
        "Growth, Environment and Transport": [
            "Highways",
            "Waste and Environment",
            "Design and Construction",
        ],
        "Adult Services and Health and Wellbeing": ["Adult Social Care", "Public Health"],
        "Education and Children's Services": ["Education", "Children's Social Care"],
        "Resources": ["Procurement", "ICT", "Facilities Management"],
        "Chief Executive's Office": ["Corporate Policy and Strategy"],
    },
    "Blackpool Council": {
        "Place": ["Highways and Traffic"],
        "Adult Services": ["Commissioning"],
    },
}

SUPPLIERS: list[dict[str, object]] = [
    {"name": "Ribble Highways Ltd", "size": "large", "postcode": "PR5 6AW"},
    {
        "name": "Pendle Care Partnership CIC",
        "size": "small",
        "postcode": "BB9 7LJ",
        "is_vcse": True,
    },
    {"name": "Red Rose Digital Ltd", "size": "micro", "postcode": "LA1 1HT"},
    {"name": "Fylde Coast Facilities Group", "size": "medium", "postcode": "FY8 1LW"},
    {"name": "Northern Civils plc", "size": "large", "postcode": "M1 4BT"},
]

PARTNERS: list[dict[str, object]] = [
    {"name": "Lancashire Skills and Employment Hub", "postcode": "PR1 8XJ"},
    {"name": "Community Futures Lancashire", "postcode": "PR1 3NQ", "is_vcse": True},
]

USERS: list[dict[str, str]] = [
    {
        "email": "lead@lancashire.example",
        "full_name": "Lucy Lead",
        "role": "lead",
        "organisation": COUNCIL,
        "area": "Corporate Policy and Strategy",
        "job_title": "Social Value Lead",
    },
    {
        "email": "officer@lancashire.example",
        "full_name": "Alice Officer",
        "role": "officer",
        "organisation": COUNCIL,
        "area": "Highways",
        "job_title": "Senior Procurement Officer",
    },
    {
        "email": "officer2@lancashire.example",
        "full_name": "Omar Officer",
        "role": "officer",
        "organisation": COUNCIL,
        "area": "Adult Social Care",
        "job_title": "Contract Manager",
    },
    {
        "email": "evaluator@lancashire.example",
        "full_name": "Erin Evaluator",
        "role": "evaluator",
        "organisation": COUNCIL,
        "area": "Procurement",
        "job_title": "Category Manager",
    },
    {
        "email": "cabinet@lancashire.example",
        "full_name": "Councillor Cara Cabinet",
        "role": "cabinet",
        "organisation": COUNCIL,
        "job_title": "Cabinet Member for Resources",
    },
    {
        "email": "lead@blackpool.example",
        "full_name": "Bella Lead",
        "role": "lead",
        "organisation": "Blackpool Council",
        "job_title": "Social Value Lead",
    },
    {
        "email": "officer@blackpool.example",
        "full_name": "Olga Officer",
        "role": "officer",
        "organisation": "Blackpool Council",
        "area": "Highways and Traffic",
        "job_title": "Procurement Officer",
    },
    {
        "email": "supplier@ribblehighways.example",
        "full_name": "Bob Builder",
        "role": "supplier",
        "organisation": "Ribble Highways Ltd",
        "job_title": "Bid Manager",
    },
    {
        "email": "supplier@pendlecare.example",
        "full_name": "Carol Carer",
        "role": "supplier",
        "organisation": "Pendle Care Partnership CIC",
        "job_title": "Operations Director",
    },
    {
        "email": "supplier@redrosedigital.example",
        "full_name": "Ravi Rose",
        "role": "supplier",
        "organisation": "Red Rose Digital Ltd",
        "job_title": "Managing Director",
    },
    {
        "email": "supplier@fyldecoastfacilities.example",
        "full_name": "Faye Fylde",
        "role": "supplier",
        "organisation": "Fylde Coast Facilities Group",
        "job_title": "Bid Coordinator",
    },
    {
        "email": "supplier@northerncivils.example",
        "full_name": "Nina North",
        "role": "supplier",
        "organisation": "Northern Civils plc",
        "job_title": "Social Value Manager",
    },
]


def _organisation(name: str, kind: str, **extra: object) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"slug": slugify(name), "kind": kind, **extra}
    )
    return org


def load_organisations_and_users() -> list[DemoLogin]:
    areas: dict[str, ServiceArea] = {}
    for org_name, directorates in STRUCTURE.items():
        org = _organisation(org_name, Organisation.Kind.BUYER, size="large")
        for dir_name, area_names in directorates.items():
            directorate, _ = Directorate.objects.get_or_create(organisation=org, name=dir_name)
            for area_name in area_names:
                areas[area_name], _ = ServiceArea.objects.get_or_create(
                    directorate=directorate, name=area_name
                )
    for supplier in SUPPLIERS:
        fields = dict(supplier)
        _organisation(str(fields.pop("name")), Organisation.Kind.SUPPLIER, **fields)
    for partner in PARTNERS:
        fields = dict(partner)
        _organisation(str(fields.pop("name")), Organisation.Kind.PARTNER, size="small", **fields)

    logins = []
    for spec in USERS:
        org = Organisation.objects.get(name=spec["organisation"])
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            user = User(
                email=spec["email"],
                full_name=spec["full_name"],
                job_title=spec.get("job_title", ""),
                role=spec["role"],
                organisation=org,
                service_area=areas.get(spec.get("area", "")),
                is_staff=False,  # staff status is for platform administrators only
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        logins.append(DemoLogin(user.email, user.get_role_display(), org.name))
    logins.append(_platform_admin())
    return logins


PLATFORM_ADMIN_EMAIL = "admin@platform.example"


def _platform_admin() -> DemoLogin:
    """The platform administrator: a superuser of no organisation, who alone uses /admin/."""
    if not User.objects.filter(email=PLATFORM_ADMIN_EMAIL).exists():
        User.objects.create_superuser(
            PLATFORM_ADMIN_EMAIL, DEMO_PASSWORD, full_name="Pat Platform", job_title="Administrator"
        )
    return DemoLogin(PLATFORM_ADMIN_EMAIL, "Platform administrator (superuser)", "")
