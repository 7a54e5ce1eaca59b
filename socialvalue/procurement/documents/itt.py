"""The ITT wording of a tender as a Word document (``itt_docx``).

Implements "10. Social value templates" of the Social Value Strategy 2024-28: the wording
that explains social value and the evaluation methodology, with a worked example of the
scoring.
"""

from decimal import Decimal

from django.conf import settings

from socialvalue.core.money import HUNDRED
from socialvalue.framework.models import Measure
from socialvalue.procurement.documents.docx_blocks import (
    add_bullets,
    add_cover,
    add_para,
    add_quality_table,
    add_table,
    docx_bytes,
    new_document,
)
from socialvalue.procurement.documents.wording import (
    FIVE,
    basis_sentence,
    deadline_text,
    deliverability_sentence,
    framework_url,
    menu_for,
    needs_url,
    number_text,
    partners_url,
    pounds,
    proxy_display,
    reverse_or,
    scoring_formulas,
    site_url,
    weighting_sentence,
)
from socialvalue.procurement.models import Tender
from socialvalue.procurement.services import policy_for_organisation


def _worked_example(tender: Tender) -> list[str]:
    """Two imaginary offers scored with this tender's marks, figures rounded half-up."""
    q, lq = tender.quantitative_marks, tender.qualitative_marks
    value_a, value_b = Decimal(200000), Decimal(150000)
    quality_a, quality_b = Decimal(4), Decimal("3.5")
    if tender.quant_basis == Tender.Basis.SV_ADD:
        price_a, price_b = Decimal(2000000), Decimal(1000000)
        metric_a, metric_b = value_a / price_a, value_b / price_b
        intro = (
            f"Offer A counts {pounds(value_a)} on a bid price of {pounds(price_a)} "
            f"(Social Value Add {number_text(metric_a * HUNDRED)}%) and its commitments "
            f"average {number_text(quality_a)} for quality. Offer B counts {pounds(value_b)} "
            f"on a bid price of {pounds(price_b)} (Social Value Add "
            f"{number_text(metric_b * HUNDRED)}%) and averages {number_text(quality_b)}."
        )
    else:
        metric_a, metric_b = value_a, value_b
        intro = (
            f"Offer A counts {pounds(value_a)} and its commitments average "
            f"{number_text(quality_a)} for quality. Offer B counts {pounds(value_b)} and "
            f"averages {number_text(quality_b)}."
        )
    best = max(metric_a, metric_b)
    lines = [intro]
    for name, metric, quality in (("A", metric_a, quality_a), ("B", metric_b, quality_b)):
        quant = q * metric / best
        qual = lq * quality / FIVE
        lines.append(
            f"Offer {name}: quantitative {number_text(q)} × {_ratio_text(metric, best, tender)} "
            f"= {number_text(quant)}; qualitative {number_text(lq)} × {number_text(quality)} ÷ 5 "
            f"= {number_text(qual)}; social value score {number_text(quant + qual)} out of "
            f"{number_text(tender.sv_weighting)}."
        )
    return lines


def _ratio_text(metric: Decimal, best: Decimal, tender: Tender) -> str:
    if tender.quant_basis == Tender.Basis.SV_ADD:
        return f"{number_text(metric * HUNDRED)}% ÷ {number_text(best * HUNDRED)}%"
    return f"{pounds(metric)} ÷ {pounds(best)}"


def itt_docx(*, tender: Tender) -> bytes:
    """ "Social value: instructions to tenderers" for ``tender``, as a Word document."""
    title = "Social value: instructions to tenderers"
    policy = policy_for_organisation(organisation=tender.organisation)
    menu = menu_for(tender)
    version = tender.framework_version
    measure_count = Measure.objects.filter(version=version).count()
    theme_count = version.themes.count()
    document = new_document(title, tender)
    add_cover(document, title, tender)

    document.add_heading("About this tender", level=1)
    add_table(
        document,
        ["Detail", "This tender"],
        [
            ("Reference", tender.reference),
            ("Title", tender.title),
            ("Buying organisation", tender.organisation.name),
            ("Category", tender.get_category_display()),
            ("Estimated contract value", pounds(tender.estimated_value)),
            ("Duration", f"{tender.duration_months} months"),
            ("Deadline for offers", f"{deadline_text(tender)} (UK time)"),
            ("Social value weighting", f"{number_text(tender.sv_weighting)}% of the total marks"),
            ("Quantitative basis", tender.get_quant_basis_display()),
            ("Deliverability threshold", f"{tender.deliverability_threshold} out of 5"),
            ("Framework", version.name),
        ],
        [5.0, 12.0],
        header_column=True,
    )

    document.add_heading("Our approach to social value", level=1)
    add_para(
        document,
        "Social value is the extra economic, social and environmental good that a contract "
        "brings to Lancashire: local jobs and training, spending with local firms and "
        "charities, support for communities and a cleaner environment. We ask every "
        "tenderer what they will deliver and how, and we hold the winner to it.",
    )
    add_bullets(
        document,
        [
            f"Social value is required in every tender worth {pounds(policy.threshold)} or "
            f"more, with a weighting of at least {number_text(policy.minimum_weighting)}% of "
            "the total marks. Below that value it is optional.",
            f"We use the {version.name}: {theme_count} themes and {measure_count} measures, "
            "each with a unit and, for most, a proxy value in £ per unit.",
            "There is no prioritisation, no mandatory measure and no multiplier: you choose "
            "the measures that are relevant and proportionate to this contract and to your "
            "business, and every £ of counted value is worth the same.",
            "Your offer has two parts. The quantitative offer is the what: the quantity you "
            "commit to for each measure you choose. The qualitative delivery plan is the how: "
            "for each commitment, the activity, who delivers it, when, your partners and the "
            "evidence you will provide.",
        ],
    )
    if tender.estimated_value < policy.threshold:
        add_para(
            document,
            f"This tender is worth less than {pounds(policy.threshold)}, so social value "
            "is optional; we have chosen the weighting below.",
        )

    document.add_heading("How your social value offer is scored", level=1)
    add_para(document, f"**{weighting_sentence(tender)}**")
    add_para(document, basis_sentence(tender))
    document.add_heading("Quantitative score: the what", level=2)
    add_para(
        document,
        "Each commitment is valued as its quantity times the measure's proxy value. For "
        "example, 2 full-time local employees under NT1 at a proxy of £31,285.00 are worth "
        "£62,570.00. A measure with no proxy value is worth £0 but can still be offered, and "
        "its delivery plan is still scored.",
    )
    document.add_heading("Deliverability threshold", level=2)
    add_para(document, deliverability_sentence(tender))
    document.add_heading("Qualitative score: the how", level=2)
    add_para(
        document,
        "The evaluation panel scores the delivery plan of each commitment from 0 to 5 on the "
        "quality scoring profile below. Each evaluator scores on their own first; the panel "
        "then agrees one consensus score per commitment, and that is the score used. A "
        "commitment without a delivery plan scores 0.",
    )
    document.add_heading("The formulas", level=2)
    add_bullets(document, scoring_formulas(tender))
    add_para(
        document,
        "If no offer has any counted value, every offer scores 0 for the quantitative part. "
        "Offers are ranked by their social value score together with the other parts of the "
        "evaluation. Scores are worked out exactly and rounded to 2 decimal places only "
        "when shown.",
    )
    document.add_heading("Worked example", level=2)
    add_bullets(document, _worked_example(tender))
    add_para(
        document,
        "We also check that offers are realistic. An offer whose counted value is more than "
        "its bid price (Social Value Add over 100%), or which offers more full-time "
        "employees than the contract can pay for, is flagged for the panel to question.",
    )
    document.add_heading("Quality scoring profile", level=2)
    add_quality_table(document, tender)

    document.add_heading("The menu of measures", level=1)
    add_para(
        document,
        f"You may offer any of the {len(menu)} measures below, as many as are relevant, and "
        "the same measure more than once (for example in two districts). Quantities use the "
        "unit shown; proxy values are £ per unit.",
    )
    add_table(
        document,
        ["Code", "Theme", "Measure", "Unit", "Proxy value"],
        [(m.code, m.theme.name, m.description, m.unit, proxy_display(m)) for m in menu],
        [1.4, 2.7, 7.2, 3.0, 2.7],
        align_right=[4],
    )

    document.add_heading("Evidence you will need to provide", level=1)
    add_para(
        document,
        "If you win, you report delivery every quarter with evidence. Plan for it now: "
        "your delivery plan should say how you will keep these records.",
    )
    add_table(
        document,
        ["Code", "Evidence to keep and provide"],
        [(m.code, m.evidence_required) for m in menu],
        [1.5, 15.5],
    )

    document.add_heading("Targeting local needs and finding partners", level=1)
    add_para(
        document,
        "The most meaningful social value meets local needs. Our local needs map shows, for "
        "each of the 14 Lancashire districts and its neighbourhoods, where deprivation is "
        "high to severe in employment, income, education, health, housing and more: ",
        needs_url(),
    )
    add_para(
        document,
        "Our partners directory lists schools, colleges, charities, community groups and "
        "employment services that can help you deliver each measure: ",
        partners_url(),
    )
    add_para(
        document,
        "You can name a target district for each commitment. Targeting is not scored on "
        "its own, but a plan that is specific to local needs scores better on quality.",
    )

    document.add_heading("How to submit your social value offer", level=1)
    add_bullets(
        document,
        [
            f"Sign in to {settings.SERVICE_NAME} at {site_url('/')} and open this tender "
            "from your opportunities.",
            "Enter each commitment (measure, quantity, target district) with its delivery "
            "plan online, or fill in the offer spreadsheet for this tender and upload it. If "
            "any row has a problem, nothing is saved and you are told which rows to fix.",
            "You may draft your answers in the Qualitative Delivery Plan template first.",
            "You can change or withdraw your offer until the deadline and get a receipt "
            "when you submit it.",
            "Offers are sealed: nobody at the council sees them before the deadline, and no "
            "other tenderer ever sees yours.",
        ],
    )
    add_para(
        document,
        "Offer spreadsheet: ",
        site_url(
            reverse_or(
                "procurement:offer_template_xlsx",
                [tender.pk],
                fallback=f"/tenders/{tender.pk}/pack/offer-template.xlsx",
            )
        ),
    )

    document.add_heading("After the contract is awarded", level=1)
    add_bullets(
        document,
        [
            "Your counted commitments become the social value targets in your contract, and "
            "your delivery plan becomes part of how the contract is managed.",
            "You report what you have delivered every quarter (April to June, July to "
            "September, October to December and January to March), in one return covering "
            "all your contracts with us, with the evidence listed above.",
            "The contract manager checks the evidence and may ask for more.",
            "We may ask you for a short case study of your social value delivery to share "
            "good practice.",
        ],
    )

    document.add_heading("About the framework", level=1)
    add_para(document, f"This tender uses the {version.name}: ", framework_url(tender))
    if version.attribution:
        add_para(document, version.attribution)
    return docx_bytes(document)
