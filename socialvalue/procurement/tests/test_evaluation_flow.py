"""Panel scoring and moderation through the services: independence, submission, consensus."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.evaluation.selectors import (
    evaluator_progress,
    individual_scores_visible_to,
    moderation_scores,
    panel_all_submitted,
)
from socialvalue.procurement.evaluation.services import (
    ERR_CANNOT_MODERATE,
    ERR_JUSTIFICATION,
    ERR_NO_PANEL,
    ERR_NOT_ON_PANEL,
    ERR_RATIONALE,
    ERR_RESPONSE_NOT_EVALUATED,
    ERR_SCORE_RANGE,
    consensus_record,
    score_record,
    scores_submit,
)
from socialvalue.procurement.models import (
    Bid,
    PanelMember,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.services import tender_mark_evaluated
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

S = Tender.Status
Panel = Callable[[Tender], list[PanelMember]]


@pytest.fixture
def closed(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    panel: Panel,
) -> Tender:
    """A closed tender with two offers, three responses in all, and Erin and Lucy on the
    panel (Lucy moderates). No scores yet."""
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


def score_all(tender: Tender, user: User, score: int) -> None:
    for response in responses(tender):
        score_record(
            response=response, evaluator=user, score=score, justification=f"{user.full_name}."
        )


def test_it_records_and_changes_a_panel_members_score(closed: Tender, evaluator_erin: User) -> None:
    first = responses(closed)[0]
    score_record(response=first, evaluator=evaluator_erin, score=2, justification="Thin plan.")
    record = score_record(
        response=first, evaluator=evaluator_erin, score=3, justification="  Names a lead.  "
    )
    assert QualityScore.objects.filter(response=first).count() == 1
    record.refresh_from_db()
    assert (record.kind, record.score, record.justification) == ("individual", 3, "Names a lead.")
    # Both versions are kept, with who recorded them.
    assert [h.score for h in record.history.order_by("history_date")] == [2, 3]
    assert {h.history_user_id for h in record.history.all()} == {evaluator_erin.pk}
    assert evaluator_progress(closed, evaluator_erin) == (1, 3)


def test_it_refuses_scores_from_anyone_off_the_panel(
    closed: Tender, officer_alice: User, officer_olga: User
) -> None:
    first = responses(closed)[0]
    for user in (officer_alice, officer_olga):
        with pytest.raises(ValidationError) as caught:
            score_record(response=first, evaluator=user, score=3, justification="Fine.")
        assert caught.value.messages == [ERR_NOT_ON_PANEL]
    assert not QualityScore.objects.exists()


@pytest.mark.parametrize(
    ("score", "justification", "errors"),
    [
        (6, "Too generous.", {"score": [ERR_SCORE_RANGE]}),
        (-1, "Negative.", {"score": [ERR_SCORE_RANGE]}),
        (3, "   ", {"justification": [ERR_JUSTIFICATION]}),
        (True, "", {"score": [ERR_SCORE_RANGE], "justification": [ERR_JUSTIFICATION]}),
    ],
)
def test_it_refuses_bad_scores_and_saves_nothing(
    closed: Tender, evaluator_erin: User, score: int, justification: str, errors: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        score_record(
            response=responses(closed)[0],
            evaluator=evaluator_erin,
            score=score,
            justification=justification,
        )
    assert caught.value.message_dict == errors
    assert not QualityScore.objects.exists()


def test_it_refuses_scoring_before_the_deadline(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    panel: Panel,
    evaluator_erin: User,
) -> None:
    tender = make_tender(status=S.OPEN, deadline_in=timedelta(hours=2))
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    panel(tender)
    with pytest.raises(ValidationError) as caught:
        score_record(
            response=responses(tender)[0], evaluator=evaluator_erin, score=3, justification="x"
        )
    assert caught.value.messages[0].startswith("Offers are sealed until ")
    assert not QualityScore.objects.exists()


@pytest.mark.parametrize("status", [S.OPEN, S.EVALUATED, S.CANCELLED])
def test_it_scores_only_while_the_tender_is_closed(
    closed: Tender, evaluator_erin: User, status: str
) -> None:
    Tender.objects.filter(pk=closed.pk).update(status=status)
    with pytest.raises(ValidationError) as caught:
        score_record(
            response=responses(closed)[0], evaluator=evaluator_erin, score=3, justification="x"
        )
    label = dict(Tender.Status.choices)[status].lower()
    assert caught.value.messages == [
        "Responses can only be scored while the tender is closed for evaluation; this one is "
        f"{label}."
    ]


def test_it_refuses_to_score_a_withdrawn_offer(
    closed: Tender, evaluator_erin: User, bobs_building: Organisation
) -> None:
    Bid.objects.filter(tender=closed, supplier=bobs_building).update(status=Bid.Status.WITHDRAWN)
    with pytest.raises(ValidationError) as caught:
        score_record(
            response=responses(closed)[0], evaluator=evaluator_erin, score=3, justification="x"
        )
    assert caught.value.messages == [ERR_RESPONSE_NOT_EVALUATED]


def test_it_submits_only_when_every_response_is_scored(
    closed: Tender, evaluator_erin: User
) -> None:
    first, second, _ = responses(closed)
    score_record(response=first, evaluator=evaluator_erin, score=3, justification="Good.")
    score_record(response=second, evaluator=evaluator_erin, score=4, justification="Better.")
    with pytest.raises(ValidationError) as caught:
        scores_submit(tender=closed, evaluator=evaluator_erin)
    assert caught.value.messages == [
        "You have scored 2 of 3 responses. Score every response before you submit."
    ]
    assert PanelMember.objects.get(user=evaluator_erin).scores_submitted_at is None


def test_it_freezes_an_evaluators_scores_once_submitted(
    closed: Tender, evaluator_erin: User
) -> None:
    score_all(closed, evaluator_erin, 3)
    member = scores_submit(tender=closed, evaluator=evaluator_erin)
    assert member.scores_submitted_at is not None
    with pytest.raises(ValidationError) as caught:
        score_record(
            response=responses(closed)[0], evaluator=evaluator_erin, score=5, justification="x"
        )
    assert caught.value.messages[0].startswith("You submitted your scores for this tender on ")
    with pytest.raises(ValidationError):
        scores_submit(tender=closed, evaluator=evaluator_erin)
    assert set(QualityScore.objects.values_list("score", flat=True)) == {3}


def test_it_keeps_each_evaluator_independent_until_they_submit(
    closed: Tender, evaluator_erin: User, lead_lucy: User
) -> None:
    first = responses(closed)[0]
    score_all(closed, lead_lucy, 4)
    score_record(response=first, evaluator=evaluator_erin, score=2, justification="Erin.")

    def seen_by(user: User) -> list[tuple[str, int]]:
        visible = individual_scores_visible_to(user, closed).get(first.pk, [])
        return [(score.evaluator.full_name, score.score) for score in visible]

    # Neither has submitted: each sees only their own.
    assert seen_by(evaluator_erin) == [("Erin Evaluator", 2)]
    assert seen_by(lead_lucy) == [("Lucy Lead", 4)]
    # Lucy submits: she sees her own, but not Erin's, who is still scoring.
    scores_submit(tender=closed, evaluator=lead_lucy)
    assert seen_by(lead_lucy) == [("Lucy Lead", 4)]
    assert seen_by(evaluator_erin) == [("Erin Evaluator", 2)]
    # Erin submits: now both see both.
    score_all(closed, evaluator_erin, 2)
    scores_submit(tender=closed, evaluator=evaluator_erin)
    assert seen_by(evaluator_erin) == [("Erin Evaluator", 2), ("Lucy Lead", 4)]
    assert seen_by(lead_lucy) == [("Erin Evaluator", 2), ("Lucy Lead", 4)]


def test_it_records_consensus_only_after_every_member_submitted(
    closed: Tender, evaluator_erin: User, lead_lucy: User
) -> None:
    first = responses(closed)[0]
    score_all(closed, lead_lucy, 4)
    scores_submit(tender=closed, evaluator=lead_lucy)
    with pytest.raises(ValidationError) as caught:
        consensus_record(response=first, by=lead_lucy, score=3, rationale="Agreed.")
    assert caught.value.messages == [
        "Consensus scores can be recorded once every panel member has submitted their scores. "
        "Still to submit: Erin Evaluator."
    ]
    assert moderation_scores(closed) == {}
    assert not panel_all_submitted(closed)

    score_all(closed, evaluator_erin, 2)
    scores_submit(tender=closed, evaluator=evaluator_erin)
    assert panel_all_submitted(closed)
    assert [s.score for s in moderation_scores(closed)[first.pk]] == [2, 4]
    agreed = consensus_record(response=first, by=lead_lucy, score=3, rationale="Met in middle.")
    assert (agreed.kind, agreed.score, agreed.evaluator) == ("consensus", 3, lead_lucy)
    # Recording again replaces it, keeping history.
    consensus_record(response=first, by=lead_lucy, score=4, rationale="On reflection, good.")
    assert QualityScore.objects.filter(response=first, kind="consensus").get().score == 4
    assert agreed.history.count() == 2


def test_it_lets_only_the_moderator_or_the_lead_record_consensus(
    closed: Tender, evaluator_erin: User, lead_lucy: User, officer_alice: User
) -> None:
    for user in (evaluator_erin, lead_lucy):
        score_all(closed, user, 3)
        scores_submit(tender=closed, evaluator=user)
    first = responses(closed)[0]
    for user in (evaluator_erin, officer_alice):
        with pytest.raises(ValidationError) as caught:
            consensus_record(response=first, by=user, score=3, rationale="Agreed.")
        assert caught.value.messages == [ERR_CANNOT_MODERATE]
    # Erin as the panel's moderator may.
    PanelMember.objects.filter(user=evaluator_erin).update(is_moderator=True)
    consensus_record(response=first, by=evaluator_erin, score=3, rationale="Agreed.")
    with pytest.raises(ValidationError) as caught:
        consensus_record(response=first, by=lead_lucy, score=2, rationale=" ")
    assert caught.value.message_dict == {"rationale": [ERR_RATIONALE]}


def test_it_needs_a_panel_before_moderating(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation, lead_lucy: User
) -> None:
    tender = make_tender(status=S.CLOSED, deadline_in=timedelta(days=-1))
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    with pytest.raises(ValidationError) as caught:
        consensus_record(response=responses(tender)[0], by=lead_lucy, score=3, rationale="Agreed.")
    assert caught.value.messages == [ERR_NO_PANEL]


def test_it_completes_the_evaluation_once_every_response_has_consensus(
    closed: Tender, evaluator_erin: User, lead_lucy: User
) -> None:
    for user in (evaluator_erin, lead_lucy):
        score_all(closed, user, 3)
        scores_submit(tender=closed, evaluator=user)
    first, second, third = responses(closed)
    consensus_record(response=first, by=lead_lucy, score=3, rationale="Agreed.")
    with pytest.raises(ValidationError) as caught:
        tender_mark_evaluated(tender=closed)
    assert caught.value.messages == [
        "2 qualitative responses have no consensus score yet; record them before "
        "completing the evaluation."
    ]
    for response in (second, third):
        consensus_record(response=response, by=lead_lucy, score=4, rationale="Agreed.")
    assert tender_mark_evaluated(tender=closed).status == S.EVALUATED
    with pytest.raises(ValidationError):
        consensus_record(response=first, by=lead_lucy, score=1, rationale="Too late.")
