"""The wording of a tender's ITT pack, shared by its three documents (the ITT, the Qualitative
Delivery Plan and the offer spreadsheet) so that they explain the scoring in the same words.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from socialvalue.core.money import format_gbp, round_2dp
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Tender

FIVE = Decimal(5)
NO_PROXY = "No proxy value"

# The five questions of the Qualitative Delivery Plan, with what a good answer covers.
QDP_QUESTIONS: list[tuple[str, str, str]] = [
    (
        "activity",
        "Activity",
        "What you will do, specifically: the roles, courses, placements, projects or purchases, "
        "how many, and which local needs they address (for example a district where "
        "employment deprivation is high).",
    ),
    (
        "who_delivers",
        "Who delivers",
        "Who is responsible and who does the work: job titles in your organisation, "
        "subcontractors in your supply chain, and the person who reports to the council.",
    ),
    (
        "timing",
        "When",
        "When it starts, its milestones and how it is spread over the contract, so that "
        "progress shows in the quarterly returns.",
    ),
    (
        "partners",
        "Partners",
        "Optional. The schools, colleges, charities, community groups or employment services "
        "you will work with, and whether they have agreed.",
    ),
    (
        "evidence",
        "Evidence to be provided",
        "What records you will keep and send with each quarterly return to prove delivery "
        "(see the evidence listed for each measure).",
    ),
]


def number_text(value: Decimal) -> str:
    """A figure to at most 2 decimal places without trailing zeros: 5.00 → 5, 2.50 → 2.5."""
    text = f"{round_2dp(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def marks_text(value: Decimal) -> str:
    text = number_text(value)
    return f"{text} mark" if text == "1" else f"{text} marks"


def site_url(path: str) -> str:
    """An absolute link to a page of this site."""
    return settings.SITE_URL.rstrip("/") + path


def reverse_or(name: str, args: Sequence[object] = (), *, fallback: str = "/") -> str:
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return fallback


def framework_url(tender: Tender) -> str:
    slug = tender.framework_version.slug
    return site_url(reverse_or("framework:version", [slug], fallback=f"/framework/{slug}/"))


def needs_url() -> str:
    return site_url("/needs/")


def partners_url() -> str:
    return site_url("/partners/")


def deadline_text(tender: Tender) -> str:
    """``12:00 on Friday 3 July 2026`` in UK time."""
    local = timezone.localtime(tender.deadline)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


def weighting_sentence(tender: Tender) -> str:
    if tender.sv_weighting == 0:
        return (
            "Social value is not scored in this tender (0% of the total marks). You may still "
            "offer commitments: if you win, they become targets in your contract."
        )
    return (
        f"Social value is worth {number_text(tender.sv_weighting)}% of the total marks for "
        f"this tender: {marks_text(tender.quantitative_marks)} for the quantitative offer and "
        f"{marks_text(tender.qualitative_marks)} for the qualitative delivery plan."
    )


def basis_sentence(tender: Tender) -> str:
    if tender.quant_basis == Tender.Basis.SV_ADD:
        return (
            "The quantitative offer is compared on Social Value Add: your counted value "
            "divided by your bid price, so a smaller bid offering the same value per pound "
            "scores as well as a larger one."
        )
    return (
        "The quantitative offer is compared on counted value: the £ total of your counted "
        "commitments."
    )


def metric_name(tender: Tender) -> str:
    if tender.quant_basis == Tender.Basis.SV_ADD:
        return "Social Value Add (counted value ÷ bid price)"
    return "counted value"


def scoring_formulas(tender: Tender) -> list[str]:
    """The scoring method as formulas with this tender's marks."""
    q, lq = number_text(tender.quantitative_marks), number_text(tender.qualitative_marks)
    metric = metric_name(tender)
    return [
        "Value of a commitment = quantity × proxy value (£0 for a measure with no proxy value).",
        f"A commitment counts only if its quality score is at least "
        f"{tender.deliverability_threshold} out of 5.",
        f"Quantitative score = {q} × your {metric} ÷ the highest {metric} of all offers.",
        f"Qualitative score = {lq} × the average quality score of your commitments ÷ 5.",
        "Social value score = quantitative score + qualitative score.",
    ]


def deliverability_sentence(tender: Tender) -> str:
    d = tender.deliverability_threshold
    if d == 0:
        return (
            "Every commitment counts towards your value whatever its quality score, because "
            "the deliverability threshold for this tender is 0."
        )
    return (
        f"The deliverability threshold is {d}: a commitment whose delivery plan scores below "
        f"{d} out of 5 is not believed to be deliverable, so its value is left out of your "
        "counted value. It is listed as excluded, with the reason, and its quality score "
        "still counts towards your qualitative score."
    )


def menu_for(tender: Tender) -> list[Measure]:
    return list(
        tender.menu.select_related("theme", "outcome").order_by(
            "theme__order", "outcome__order", "order"
        )
    )


def pounds(value: Decimal) -> str:
    """£100,000 for whole pounds, else to pence: £1,234.57."""
    text = format_gbp(value)
    return text.removesuffix(".00")


def proxy_display(measure: Measure) -> str:
    return NO_PROXY if measure.proxy_value is None else format_gbp(measure.proxy_value)


def quantity_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
