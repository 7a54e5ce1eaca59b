"""Demonstration website content: the policy page, a resource bank of ten published resources
(and one draft), ten published FAQs and three pieces of lessons-learned feedback.

The files in the resource bank (two PDFs, a Word template and a CSV checklist) are made here,
so the demo needs nothing from outside. Idempotent: resources and FAQs are found by slug,
feedback by its text, on a second run.
"""

import csv
import io
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils.html import escape

from socialvalue.accounts.models import User
from socialvalue.site.models import Audience, Faq, FaqCategory, Feedback, FeedbackRole, Resource
from socialvalue.site.models import ResourceCategory as Category
from socialvalue.site.services import (
    content_publish,
    faq_create,
    feedback_review,
    feedback_submit,
    page_policy_ensure,
    resource_create,
)

LEAD_EMAIL = "lead@lancashire.example"


# --- Generated files -------------------------------------------------------------------------


def _pdf(title: str, sections: list[tuple[str, list[str]]], *, landscape: bool = False) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f"<section><h2>{escape(heading)}</h2>"
        + "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        + "</section>"
        for heading, paragraphs in sections
    )
    size = "A4 landscape" if landscape else "A4"
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{escape(title)}</title><style>
@page {{ size: {size}; margin: 2cm; }}
body {{ font-family: sans-serif; font-size: 12pt; line-height: 1.4; color: #0b0c0c; }}
h1 {{ font-size: 24pt; border-bottom: 4px solid #1d70b8; padding-bottom: 8pt; }}
h2 {{ font-size: 16pt; margin-top: 18pt; }}
section {{ {"break-after: page;" if landscape else ""} }}
</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"""
    # WeasyPrint logs each step of its work; the bootstrap summary is enough.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        return bytes(HTML(string=html).write_pdf())
    finally:
        progress.setLevel(level)


def market_engagement_pdf() -> bytes:
    return _pdf(
        "Market engagement 2026: social value at Lancashire County Council",
        [
            (
                "Why social value matters to us",
                [
                    "Every contract worth £100,000 or more includes social value, worth at "
                    "least 10% of the marks.",
                    "We want offers that meet local needs: jobs and skills, local spending, "
                    "stronger communities and a healthier environment.",
                ],
            ),
            (
                "What we ask of bidders",
                [
                    "Choose commitments from the 43 Lancashire TOMs that suit your contract "
                    "and your business. No measure is compulsory.",
                    "Explain how you will deliver each commitment in the qualitative delivery "
                    "plan: who, when, with which partners and what evidence you will keep.",
                ],
            ),
            (
                "Do's and don'ts",
                [
                    "Do offer what you can really deliver: commitments judged unlikely to be "
                    "delivered do not count.",
                    "Don't copy an offer from another tender without checking it fits this "
                    "contract's size and length.",
                ],
            ),
            (
                "After the award",
                [
                    "Report every quarter in one return covering all your contracts, with "
                    "evidence. Tell us your good news stories: we publish case studies.",
                ],
            ),
        ],
        landscape=True,
    )


def good_bid_highways_pdf() -> bytes:
    return _pdf(
        "Example of a good bid: highways maintenance",
        [
            (
                "About this example",
                [
                    "An anonymised social value response from a highways maintenance tender "
                    "worth £2.4 million over three years, shared with the bidder's permission. "
                    "It scored 5 (excellent) for most commitments.",
                ],
            ),
            (
                "NT10: 156 weeks of apprenticeships",
                [
                    "Three Level 2 civil engineering apprentices recruited from Burnley and "
                    "Hyndburn through the Lancashire Skills and Employment Hub, starting in "
                    "the first quarter, each with a named supervisor.",
                    "Evidence: apprenticeship agreements, college enrolment and quarterly "
                    "attendance records.",
                ],
            ),
            (
                "NT18: £300,000 spent in the local supply chain",
                [
                    "Quarry materials and traffic management bought from firms based in "
                    "Lancashire, listed by name with the share of spend each will receive.",
                    "Evidence: purchase ledger extracts each quarter.",
                ],
            ),
            (
                "NT29: 200 hours of volunteering",
                [
                    "Teams give time to community gardens in Preston chosen with Community "
                    "Futures Lancashire, which confirms the hours.",
                ],
            ),
            (
                "Why it scored well",
                [
                    "Each commitment says who will deliver it, when, with which partner and "
                    "what evidence will prove it, and the offer targets the districts where "
                    "the need is greatest.",
                ],
            ),
        ],
    )


def delivery_plan_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Qualitative delivery plan", level=0)
    document.add_paragraph(
        "Use this template to explain how you will deliver each social value commitment in "
        "your offer. Evaluators score each row from 0 (no response) to 5 (excellent)."
    )
    document.add_heading("Your organisation", level=1)
    for label in ("Organisation name", "Tender reference", "Contact for social value"):
        document.add_paragraph(f"{label}: ")
    document.add_heading("Your commitments", level=1)
    headings = [
        "Measure code",
        "What you will deliver",
        "Who will deliver it",
        "When",
        "Partners",
        "Evidence you will provide",
    ]
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
    example = [
        "NT10",
        "52 weeks of Level 2 apprenticeships",
        "Site manager, with our HR team",
        "From month 2 of the contract",
        "Lancashire Skills and Employment Hub",
        "Apprenticeship agreement and quarterly attendance record",
    ]
    for cell, text in zip(table.add_row().cells, example, strict=True):
        cell.text = text
    for _ in range(4):
        table.add_row()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def evidence_checklist_csv() -> bytes:
    rows = [
        ("Measure", "What to report", "Evidence to keep"),
        ("NT1", "Local people (FTE) employed on the contract", "Payroll extract with postcodes"),
        ("NT10", "Weeks of apprenticeships", "Apprenticeship agreements and attendance"),
        ("NT18", "£ spent with local suppliers", "Purchase ledger extract"),
        ("NT29", "Hours volunteered in local projects", "Timesheets and a note from the group"),
        ("NT31", "Tonnes of CO2e saved", "Fuel or energy records before and after"),
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- Content ---------------------------------------------------------------------------------

ITT_WORDING = (
    "The council's standard social value wording goes into every invitation to tender (ITT) "
    "worth £100,000 or more. It tells bidders:\n\n"
    "- social value is worth at least 10% of the total marks, split between **what** you "
    "commit to (valued with the Lancashire TOMs proxy values) and **how** you will deliver "
    "it (scored from 0 to 5)\n"
    "- you may offer any of the measures on the tender's menu, and none is compulsory\n"
    "- commitments the evaluators judge unlikely to be delivered do not count towards your "
    "offer's value\n"
    "- the winning supplier reports progress every quarter, with evidence\n\n"
    "Each tender's pack holds this wording, the qualitative delivery plan template and an "
    "offer spreadsheet. Suppliers download it from the tender's page once they have signed "
    "in. The link below explains how offers are scored."
)

RESOURCES: list[dict[str, Any]] = [
    {
        "title": "Social value policy (summary)",
        "category": Category.POLICY,
        "audience": Audience.EVERYONE,
        "description": (
            "The council's social value policy in plain English: what we want every contract "
            "to achieve for Lancashire, the £100,000 threshold, the 10% minimum weighting and "
            "how suppliers report what they deliver."
        ),
        "url": "/policy/",
    },
    {
        "title": "Public Services (Social Value) Act 2012",
        "category": Category.POLICY,
        "audience": Audience.EVERYONE,
        "description": (
            "The law that asks public bodies to consider how the services they buy could "
            "improve the economic, social and environmental well-being of their area."
        ),
        "url": "https://www.legislation.gov.uk/ukpga/2012/3/enacted",
    },
    {
        "title": "Market engagement presentation 2026",
        "category": Category.PRESENTATIONS,
        "audience": Audience.SUPPLIERS,
        "description": (
            "The slides from our market engagement sessions for suppliers: the Lancashire "
            "TOMs, what we ask of bidders, the do's and don'ts of social value, and reporting "
            "after the award."
        ),
        "file": ("market-engagement-2026.pdf", market_engagement_pdf),
    },
    {
        "title": "Lunch and learn: the Lancashire TOMs",
        "category": Category.WEBINARS,
        "audience": Audience.COUNCIL_STAFF,
        "description": (
            "A 45-minute online session for officers new to social value: choosing measures "
            "for a tender, reading an offer and checking quarterly returns. Sessions run "
            "every few months; see the events page for the next one."
        ),
        "url": "/events/",
    },
    {
        "title": "Social value ITT wording",
        "category": Category.ITT_WORDING,
        "audience": Audience.EVERYONE,
        "description": ITT_WORDING,
        "url": "/faqs/#how-are-social-value-offers-scored",
    },
    {
        "title": "Qualitative delivery plan template",
        "category": Category.TEMPLATES,
        "audience": Audience.SUPPLIERS,
        "description": (
            "The Word template bidders use to explain **how** they will deliver each "
            "commitment: what, who, when, with which partners, and the evidence they will "
            "keep. Evaluators score each row from 0 to 5."
        ),
        "file": ("qualitative-delivery-plan.docx", delivery_plan_docx),
    },
    {
        "title": "Quarterly return evidence checklist",
        "category": Category.TEMPLATES,
        "audience": Audience.SUPPLIERS,
        "description": (
            "A checklist of the evidence to keep for common measures, as a spreadsheet you "
            "can add your own rows to."
        ),
        "file": ("evidence-checklist.csv", evidence_checklist_csv),
    },
    {
        "title": "Example of a good bid: highways",
        "category": Category.GOOD_BIDS,
        "audience": Audience.EVERYONE,
        "description": (
            "An anonymised social value response from a highways maintenance tender that "
            "scored well, with notes on why: apprenticeships, local spending and volunteering, "
            "each with a named partner and clear evidence."
        ),
        "file": ("example-good-bid-highways.pdf", good_bid_highways_pdf),
    },
    {
        "title": "Targeting local needs in your offer",
        "category": Category.GUIDANCE,
        "audience": Audience.SUPPLIERS,
        "description": (
            "Use the local needs map to see where deprivation is highest for each need, such "
            "as employment in Burnley and Hyndburn, and aim your commitments there."
        ),
        "url": "/needs/",
    },
    {
        "title": "The National TOMs from the Social Value Portal",
        "category": Category.GUIDANCE,
        "audience": Audience.EVERYONE,
        "description": (
            "The Lancashire TOMs build on the National Themes, Outcomes and Measures. The "
            "Social Value Portal publishes guidance on the national framework."
        ),
        "url": "https://socialvalueportal.com/",
    },
]
DRAFT_RESOURCES: list[dict[str, Any]] = [
    {
        "title": "Social value forum 2026: slides",
        "category": Category.PRESENTATIONS,
        "audience": Audience.EVERYONE,
        "description": "The slides from this year's social value forum, once it has taken place.",
        "url": "/events/",
    },
]

FAQS: list[dict[str, Any]] = [
    {
        "question": "What is social value?",
        "category": FaqCategory.BASICS,
        "order": 10,
        "answer": (
            "Social value is the extra good a contract does for local people and places, on "
            "top of the goods, works or services the council pays for. For example, a "
            "supplier might hire local people who have been out of work, train apprentices, "
            "buy from local small businesses and charities, volunteer in the community or "
            "cut its carbon emissions."
        ),
    },
    {
        "question": "What are the Lancashire TOMs?",
        "category": FaqCategory.BASICS,
        "order": 20,
        "answer": (
            "TOMs stands for Themes, Outcomes and Measures. The Lancashire TOMs are the menu "
            "of 43 measures suppliers choose from when they make a social value offer, in four "
            "themes: employment and skills, economic prosperity, communities, and environment "
            "sustainability.\n\n[Browse the Lancashire TOMs](/framework/)."
        ),
    },
    {
        "question": "What is a proxy value?",
        "category": FaqCategory.BASICS,
        "order": 30,
        "answer": (
            "A proxy value is an agreed amount in pounds for each unit of a measure, so that "
            "different offers can be compared fairly. For example, a week of apprenticeship "
            "(measure NT10) has a proxy value of £251.79, so 52 weeks are worth £13,093.08.\n\n"
            "One measure has no proxy value: it is still on the menu but adds nothing to an "
            "offer's value in pounds. [Try the calculator](/calculator/)."
        ),
    },
    {
        "question": "Which contracts must include social value?",
        "category": FaqCategory.BIDDING,
        "order": 10,
        "answer": (
            "Every contract with an estimated value of **£100,000 or more** must include "
            "social value, worth at least 10% of the total marks. Below £100,000, the "
            "council may still include it when it suits the contract."
        ),
    },
    {
        "question": "How are social value offers scored?",
        "category": FaqCategory.BIDDING,
        "order": 20,
        "answer": (
            "Offers are scored in two parts:\n\n"
            "- **What** you commit to: each commitment is valued using its proxy value, and "
            "the offer with the highest counted value gets full marks for this part\n"
            "- **How** you will deliver it: evaluators score your qualitative delivery plan "
            "for each commitment from 0 (no response) to 5 (excellent)\n\n"
            "Each tender's pack explains this. It holds the standard ITT wording, the "
            "qualitative delivery plan template and an offer spreadsheet; signed-in suppliers "
            "download it from the tender's page. [See the ITT wording and templates]"
            "(/resources/?category=itt_wording)."
        ),
    },
    {
        "question": "What is the deliverability threshold?",
        "category": FaqCategory.BIDDING,
        "order": 30,
        "answer": (
            "A commitment only counts towards the value of your offer if its delivery plan "
            "scores at least the deliverability threshold, usually 2 (minor reservations). "
            "Commitments below it are listed in the evaluation with the reason, so always "
            "explain how you will deliver each one."
        ),
    },
    {
        "question": "How often do suppliers report, and how?",
        "category": FaqCategory.DELIVERY,
        "order": 10,
        "answer": (
            "Every quarter, in one return covering all your contracts with the council. The "
            "quarters follow the financial year: April to June is quarter 1. Council officers "
            "check each return against your commitments."
        ),
    },
    {
        "question": "What evidence do I need to keep?",
        "category": FaqCategory.DELIVERY,
        "order": 20,
        "answer": (
            "Keep records that prove what you report, such as payroll extracts for local "
            "jobs, apprenticeship agreements, invoices for local spending and timesheets for "
            "volunteering. Each measure in the framework says what evidence it needs. The "
            "[evidence checklist](/resources/quarterly-return-evidence-checklist/) lists the "
            "common ones."
        ),
    },
    {
        "question": "What does “local” mean?",
        "category": FaqCategory.LOCAL,
        "order": 10,
        "answer": (
            "Local means the 14 districts of Lancashire: Blackburn with Darwen, Blackpool, "
            "Burnley, Chorley, Fylde, Hyndburn, Lancaster, Pendle, Preston, Ribble Valley, "
            "Rossendale, South Ribble, West Lancashire and Wyre.\n\n"
            "Not sure if an address counts? [Check a postcode](/needs/postcode/)."
        ),
    },
    {
        "question": "Who can I contact about social value?",
        "category": FaqCategory.LOCAL,
        "order": 20,
        "answer": (
            "The social value team in the council's Corporate Policy and Strategy team can "
            "help with questions about the policy, the TOMs and reporting. For a question "
            "about a particular tender, use the contact named in its documents.\n\n"
            "To tell us what went well or what could be better, "
            "[use the feedback form](/feedback/)."
        ),
    },
]

FEEDBACK: list[dict[str, Any]] = [
    {
        "role": FeedbackRole.SUPPLIER,
        "name": "Faye Fylde",
        "organisation": "Fylde Coast Facilities Group",
        "went_well": "The market engagement session made the scoring clear.",
        "could_be_better": (
            "We only found the delivery plan template after we had written our response."
        ),
        "suggestion": "Link the template from the opportunity page as well as the pack.",
        "review": (Feedback.Status.ACTIONED, "Template now linked from the resource bank."),
    },
    {
        "role": FeedbackRole.COUNCIL_STAFF,
        "name": "",
        "organisation": "",
        "went_well": "",
        "could_be_better": "It is not obvious which measures suit a small care contract.",
        "suggestion": "A short guide to choosing measures by category would help.",
        "review": (Feedback.Status.REVIEWED, "Raise at the next advisory group meeting."),
    },
    {
        "role": FeedbackRole.RESIDENT,
        "name": "Sam",
        "organisation": "Brierfield Community Garden",
        "went_well": "Volunteers from a contractor rebuilt our raised beds.",
        "could_be_better": "",
        "suggestion": "Let community groups say what help they need.",
    },
]


def _lead() -> User | None:
    return User.objects.filter(email=LEAD_EMAIL).first()


def _resources(lead: User, specs: list[dict[str, Any]], *, publish: bool) -> None:
    for spec in specs:
        fields = dict(spec)
        if Resource.objects.filter(title=fields["title"]).exists():
            continue
        upload = None
        file_spec: tuple[str, Callable[[], bytes]] | None = fields.pop("file", None)
        if file_spec is not None:
            name, make = file_spec
            upload = ContentFile(make(), name=name)
        resource = resource_create(user=lead, upload=upload, **fields)
        if publish:
            content_publish(item=resource, user=lead)


def site_demo() -> None:
    lead = _lead()
    if lead is None:
        return
    page_policy_ensure(user=lead)
    _resources(lead, RESOURCES, publish=True)
    _resources(lead, DRAFT_RESOURCES, publish=False)
    for spec in FAQS:
        if Faq.objects.filter(question=spec["question"]).exists():
            continue
        content_publish(item=faq_create(user=lead, **spec), user=lead)
    for spec in FEEDBACK:
        fields = dict(spec)
        review = fields.pop("review", None)
        if Feedback.objects.filter(
            suggestion=fields["suggestion"], could_be_better=fields["could_be_better"]
        ).exists():
            continue
        feedback = feedback_submit(**fields)
        if review is not None:
            status, notes = review
            feedback_review(feedback=feedback, reviewer=lead, status=status, notes=notes)
