"""The evaluation pages: who may open them, sealed offers, and the panel's whole journey."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.evaluation.services import score_record, scores_submit
from socialvalue.procurement.models import (
    Bid,
    PanelMember,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

S = Tender.Status
ClientAs = Callable[[User | None], Client]
Panel = Callable[[Tender], list[PanelMember]]

TENDER_PAGES = [
    "evaluation",
    "moderation",
    "results",
    "compare",
    "report",
    "report_xlsx",
    "report_pdf",
    "award",
]
ALL_OK = dict.fromkeys(TENDER_PAGES, 200)
# Lucy is the lead and the panel's moderator; Erin an evaluator on the panel; Alice an
# officer of the council who is not on the panel; Olga works for Blackpool; Bob supplies.
EXPECTED: dict[str, dict[str, int]] = {
    "lead_lucy": ALL_OK,
    "officer_alice": {**ALL_OK, "evaluation": 403, "moderation": 403},
    "evaluator_erin": {**ALL_OK, "moderation": 403, "award": 403},
    "officer_olga": dict.fromkeys(TENDER_PAGES, 404),
    "supplier_bob": dict.fromkeys(TENDER_PAGES, 403),
}


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.fixture
def closed(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    panel: Panel,
) -> Tender:
    """Closed after the deadline: Bob offers NT1 and NT8, Carol NT18; nothing scored yet."""
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT1", "2", None), ("NT8", "100", None)])
    make_bid(tender, carols_care, lines=[("NT18", "50000", None)])
    panel(tender)
    return tender


def responses(tender: Tender) -> list[QualitativeResponse]:
    return list(
        QualitativeResponse.objects.filter(commitment__bid__tender=tender).order_by(
            "commitment__bid__supplier__name", "commitment__order"
        )
    )


def url(name: str, tender: Tender) -> str:
    return reverse(f"procurement:{name}", args=[tender.pk])


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("page", TENDER_PAGES)
def test_it_lets_only_the_right_people_open_each_page(
    request: pytest.FixtureRequest, client_as: ClientAs, closed: Tender, who: str, page: str
) -> None:
    user: User = request.getfixturevalue(who)
    response = client_as(user).get(url(page, closed))
    assert response.status_code == EXPECTED[who][page]


@pytest.mark.parametrize("page", TENDER_PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(
    public_dave: Client, closed: Tender, page: str
) -> None:
    response = public_dave.get(url(page, closed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", TENDER_PAGES)
def test_it_shows_no_offer_before_the_deadline(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    panel: Panel,
    client_as: ClientAs,
    lead_lucy: User,
    page: str,
) -> None:
    tender = make_tender(status=S.OPEN, deadline_in=timedelta(hours=3))
    make_bid(tender, bobs_building, price="123456.00", lines=[("NT1", "7", 4)], moderator=lead_lucy)
    panel(tender)
    response = client_as(lead_lucy).get(url(page, tender))
    assert response.status_code == 200
    html = text(response)
    assert "Offers are sealed until" in html
    assert "Bob" not in html
    assert "123,456" not in html
    assert "Deliver 7 of NT1" not in html  # the response's activity
    assert "NT1:" not in html


def test_it_lets_an_evaluator_score_offer_by_offer(
    client_as: ClientAs, closed: Tender, evaluator_erin: User
) -> None:
    erin = client_as(evaluator_erin)
    page = erin.get(url("evaluation", closed))
    html = text(page)
    assert "0 of 3 responses scored" in html
    assert "Bob&#x27;s Building Ltd" in html
    assert "Offer 1 of 2" in html
    assert "Minor reservations" in html  # the profile's labels
    assert "Submit my scores" not in html
    first = responses(closed)[0]

    saved = erin.post(
        url("evaluation", closed) + "?page=1",
        {
            "response": first.pk,
            f"r{first.pk}-score": "3",
            f"r{first.pk}-justification": "Names the site teams.",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"?page=1#response-{responses(closed)[1].pk}")
    assert QualityScore.objects.get().score == 3
    html = text(erin.get(url("evaluation", closed)))
    assert "1 of 3 responses scored" in html
    assert "Carol" in text(erin.get(url("evaluation", closed) + "?page=2"))


def test_it_refuses_a_score_without_a_justification(
    client_as: ClientAs, closed: Tender, evaluator_erin: User
) -> None:
    first = responses(closed)[0]
    refused = client_as(evaluator_erin).post(
        url("evaluation", closed),
        {"response": first.pk, f"r{first.pk}-score": "9", f"r{first.pk}-justification": " "},
    )
    assert refused.status_code == 400
    html = text(refused)
    assert "There is a problem" in html
    assert f'href="#id_r{first.pk}-justification"' in html
    assert "Give a justification for your score." in html
    assert "Select a valid choice" in html
    assert "govuk-form-group--error" in html
    assert not QualityScore.objects.exists()


def test_it_runs_the_whole_evaluation_through_the_pages(
    client_as: ClientAs,
    closed: Tender,
    evaluator_erin: User,
    lead_lucy: User,
    bobs_building: Organisation,
) -> None:
    erin, lucy = client_as(evaluator_erin), client_as(lead_lucy)
    all_responses = responses(closed)
    page_of = {r.pk: 1 if r.commitment.bid.supplier == bobs_building else 2 for r in all_responses}

    # Lucy scores everything first (she is on the panel too) but does not submit.
    for response in all_responses:
        score_record(
            response=response, evaluator=lead_lucy, score=4, justification="Lucy: strong plan."
        )
    # Erin scores one response and cannot submit yet; she never sees Lucy's scores.
    first = all_responses[0]
    erin.post(
        url("evaluation", closed),
        {"response": first.pk, f"r{first.pk}-score": "2", f"r{first.pk}-justification": "Erin."},
    )
    refused = erin.post(url("evaluation_submit", closed), follow=True)
    assert "You have scored 1 of 3 responses." in text(refused)
    assert "Lucy: strong plan." not in text(erin.get(url("evaluation", closed)))

    # The moderator sees nothing to moderate until the whole panel has submitted.
    moderation = text(lucy.get(url("moderation", closed)))
    assert "Not submitted yet" in moderation
    assert "Erin." not in moderation
    assert "Lucy: strong plan." not in moderation
    lucy.post(
        url("moderation", closed),
        {"response": first.pk, f"c{first.pk}-score": "3", f"c{first.pk}-justification": "x"},
    )
    assert not QualityScore.objects.filter(kind="consensus").exists()

    # Erin finishes and submits; Lucy has not submitted, so Erin still sees only her own.
    for response in all_responses[1:]:
        erin.post(
            url("evaluation", closed) + f"?page={page_of[response.pk]}",
            {
                "response": response.pk,
                f"r{response.pk}-score": "2",
                f"r{response.pk}-justification": "Erin.",
            },
        )
    submitted = erin.post(url("evaluation_submit", closed), follow=True)
    assert "Your scores are submitted." in text(submitted)
    assert "Lucy: strong plan." not in text(submitted)
    assert "Submitted panel scores" in text(submitted)
    assert 'name="r' not in text(submitted)  # no more scoring forms

    # Lucy submits; now Erin can compare.
    scores_submit(tender=closed, evaluator=lead_lucy)
    assert "Lucy: strong plan." in text(erin.get(url("evaluation", closed)))

    # Moderation: both scores side by side, then a consensus per response.
    moderation = text(lucy.get(url("moderation", closed)))
    assert "Erin." in moderation
    assert "Lucy: strong plan." in moderation
    assert "Complete evaluation" not in moderation
    for response in all_responses:
        done = lucy.post(
            url("moderation", closed) + f"?page={page_of[response.pk]}",
            {
                "response": response.pk,
                f"c{response.pk}-score": "3",
                f"c{response.pk}-justification": "Agreed at the panel meeting.",
            },
        )
        assert done.status_code == 302
    moderation = text(lucy.get(url("moderation", closed)))
    assert "3 of 3 consensus scores recorded" in moderation
    finished = lucy.post(url("moderation_complete", closed), follow=True)
    html = text(finished)
    assert "The evaluation is complete." in html
    assert "Final" in html
    closed.refresh_from_db()
    assert closed.status == S.EVALUATED
    # Bob: NT1 2 × £31,285 + NT8 100 × £16.93 = £64,263 (best) → 5 + 3 = 8.00.
    # Carol: £50,000 → 5 × 50,000 / 64,263 = 3.89 + 3 = 6.89.
    assert "£64,263.00" in html
    assert "8.00" in html
    assert "6.89" in html


def test_it_shows_results_with_parameters_exclusions_and_flags(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    client_as: ClientAs,
    lead_lucy: User,
    officer_alice: User,
) -> None:
    tender = make_tender(
        status=S.CLOSED,
        deadline_in=timedelta(days=-1),
        sv_weighting=Decimal("20"),
        quantitative_share=Decimal("60"),
    )
    make_bid(
        tender,
        bobs_building,
        price="10000.00",
        lines=[("NT1", "1", 4), ("NT31", "10", 1), ("NT8", "5", None)],
        moderator=lead_lucy,
    )
    html = text(client_as(officer_alice).get(url("results", tender)))
    # W 20, s 60 → Q 12, L 8.
    assert "20% of the total marks" in html
    assert "60% of W" in html
    assert "12 marks" in html
    assert "8 marks" in html
    assert "Provisional results" in html
    assert "1 response has no consensus score yet and counts as 0" in html
    assert "Quality score 1 is below the deliverability threshold of 2" in html
    assert "No consensus score yet (counts as 0)" in html
    assert "NT1: 1 FTE would cost more than the £10,000.00 contract value" in html
    # Counted £31,285 of £33,815.95 offered (NT31 £2,446.30, NT8 £84.65 excluded).
    assert "£31,285.00" in html
    assert "£33,815.95" in html


def test_it_compares_offers_side_by_side(
    client_as: ClientAs, closed: Tender, lead_lucy: User, evaluator_erin: User
) -> None:
    QualityScore.objects.bulk_create(
        QualityScore(response=r, evaluator=lead_lucy, kind="consensus", score=3, justification=".")
        for r in responses(closed)
    )
    html = text(client_as(evaluator_erin).get(url("compare", closed)))
    assert "Counted value by theme" in html
    assert "Employment and skills" in html
    assert "1. Bob&#x27;s Building Ltd" in html
    assert "2. Carol&#x27;s Care CIC" in html
    assert "£62,570.00" in html  # Bob's NT1
    assert "£50,000.00" in html  # Carol's NT18


def test_it_says_so_when_there_are_no_offers(
    make_tender: TenderMaker, client_as: ClientAs, officer_alice: User
) -> None:
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    for page in ("results", "compare"):
        html = text(client_as(officer_alice).get(url(page, tender)))
        assert "No offers were submitted for this tender" in html


def test_it_keeps_withdrawn_offers_out_of_the_pages(
    client_as: ClientAs, closed: Tender, carols_care: Organisation, lead_lucy: User
) -> None:
    Bid.objects.filter(supplier=carols_care).update(status=Bid.Status.WITHDRAWN)
    for page in ("evaluation", "results", "compare", "report"):
        assert "Carol" not in text(client_as(lead_lucy).get(url(page, closed)))
