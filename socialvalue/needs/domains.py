"""The English Indices of Deprivation 2019: the index, its domains, sub-domains and the two
supplementary indices, keyed as the data file's column prefixes (``employment_decile``…).

A plain registry with no database access, shared by the loader, the pages, the API and the
measure ↔ need links.
"""

from dataclasses import dataclass

INDEX = "index"
DOMAIN = "domain"
SUB_DOMAIN = "sub-domain"
SUPPLEMENTARY = "supplementary"

#: How the kinds are grouped in choice lists, in this order.
KIND_GROUPS = {
    INDEX: "Overall",
    DOMAIN: "Domains",
    SUB_DOMAIN: "Sub-domains",
    SUPPLEMENTARY: "Supplementary indices",
}


@dataclass(frozen=True)
class Domain:
    key: str
    label: str
    short_label: str
    kind: str
    description: str
    parent: str | None = None

    @property
    def decile_column(self) -> str:
        return f"{self.key}_decile"

    @property
    def rank_column(self) -> str:
        return f"{self.key}_rank"


_DOMAINS = [
    Domain(
        "imd",
        "Index of Multiple Deprivation (IMD)",
        "IMD",
        INDEX,
        "The overall measure. It combines the seven domains, with income and employment "
        "counting most.",
    ),
    Domain(
        "income",
        "Income domain",
        "Income",
        DOMAIN,
        "People on low incomes: those out of work or in work on low pay who receive "
        "means-tested benefits or tax credits.",
    ),
    Domain(
        "employment",
        "Employment domain",
        "Employment",
        DOMAIN,
        "Working-age people who want to work but cannot: unemployed, or kept out of work by "
        "sickness, disability or caring.",
    ),
    Domain(
        "education",
        "Education, skills and training domain",
        "Education",
        DOMAIN,
        "Lack of qualifications and skills, among children and young people and among adults.",
    ),
    Domain(
        "health",
        "Health deprivation and disability domain",
        "Health",
        DOMAIN,
        "Risk of dying early and of a poorer quality of life through poor physical or mental "
        "health.",
    ),
    Domain(
        "crime",
        "Crime domain",
        "Crime",
        DOMAIN,
        "Risk of being a victim of crime: recorded violence, burglary, theft and criminal damage.",
    ),
    Domain(
        "barriers",
        "Barriers to housing and services domain",
        "Barriers",
        DOMAIN,
        "How hard it is to reach local services and to find a decent, affordable home.",
    ),
    Domain(
        "living_env",
        "Living environment domain",
        "Living environment",
        DOMAIN,
        "The quality of the local environment, inside homes and outdoors.",
    ),
    Domain(
        "cyp",
        "Children and young people sub-domain",
        "Children and young people",
        SUB_DOMAIN,
        "School results, staying on in education and going on to higher education.",
        parent="education",
    ),
    Domain(
        "adult_skills",
        "Adult skills sub-domain",
        "Adult skills",
        SUB_DOMAIN,
        "Working-age adults with few or no qualifications, or who cannot speak English well.",
        parent="education",
    ),
    Domain(
        "geog_barriers",
        "Geographical barriers sub-domain",
        "Geographical barriers",
        SUB_DOMAIN,
        "Road distance to a GP, a food shop, a primary school and a post office.",
        parent="barriers",
    ),
    Domain(
        "wider_barriers",
        "Wider barriers sub-domain",
        "Wider barriers",
        SUB_DOMAIN,
        "Overcrowded homes, homelessness and how affordable housing is.",
        parent="barriers",
    ),
    Domain(
        "indoors",
        "Indoors living environment sub-domain",
        "Indoors",
        SUB_DOMAIN,
        "The quality of housing: homes in poor condition or without central heating.",
        parent="living_env",
    ),
    Domain(
        "outdoors",
        "Outdoors living environment sub-domain",
        "Outdoors",
        SUB_DOMAIN,
        "Air quality and road traffic accidents that hurt people on foot or on bikes.",
        parent="living_env",
    ),
    Domain(
        "idaci",
        "Income deprivation affecting children index (IDACI)",
        "IDACI",
        SUPPLEMENTARY,
        "Children aged 0 to 15 living in families on low incomes.",
        parent="income",
    ),
    Domain(
        "idaopi",
        "Income deprivation affecting older people index (IDAOPI)",
        "IDAOPI",
        SUPPLEMENTARY,
        "People aged 60 and over living on low incomes.",
        parent="income",
    ),
]

#: Every domain by key, in the order they are shown.
DOMAINS: dict[str, Domain] = {d.key: d for d in _DOMAINS}
DOMAIN_KEYS: tuple[str, ...] = tuple(DOMAINS)
DEFAULT_DOMAIN = "imd"

#: (key, label) pairs for model fields.
DOMAIN_CHOICES: list[tuple[str, str]] = [(d.key, d.label) for d in _DOMAINS]


def grouped_domain_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a select with one option group per kind (overall, domains, sub-domains…)."""
    return [
        (group, [(d.key, d.label) for d in _DOMAINS if d.kind == kind])
        for kind, group in KIND_GROUPS.items()
    ]


def domains_in_order(keys: set[str] | list[str]) -> list[str]:
    """The given keys in registry order, unknown keys left out."""
    wanted = set(keys)
    return [key for key in DOMAIN_KEYS if key in wanted]
