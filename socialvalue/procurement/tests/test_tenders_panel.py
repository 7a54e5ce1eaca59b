"""Choosing a tender's evaluation panel and its moderator, until scoring starts."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.procurement.models import PanelMember, QualitativeResponse, QualityScore, Tender
from socialvalue.procurement.services import panel_candidates, panel_lock_reason, panel_set
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def alice(client_as: ClientAs, officer_alice: User) -> Client:
    return client_as(officer_alice)


def _panel(tender: Tender) -> list[tuple[str, bool]]:
    return [
        (m.user.full_name, m.is_moderator)
        for m in PanelMember.objects.filter(tender=tender).order_by("user__full_name")
    ]


def test_it_offers_the_organisations_staff_only(
    alice: Client,
    make_tender: TenderMaker,
    lead_lucy: User,
    evaluator_erin: User,
    officer_olga: User,
    supplier_bob: User,
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    html = alice.get(f"/tenders/{tender.pk}/panel/").content.decode()
    assert "Erin Evaluator (Evaluator)" in html
    assert "Lucy Lead (Social value lead)" in html
    assert "Alice Officer (Officer)" in html
    assert "Olga" not in html
    assert "Bob" not in html
    assert [u.full_name for u in panel_candidates(tender)] == [
        "Alice Officer",
        "Erin Evaluator",
        "Lucy Lead",
    ]


def test_it_saves_the_panel_with_a_moderator(
    alice: Client, make_tender: TenderMaker, lead_lucy: User, evaluator_erin: User
) -> None:
    tender = make_tender(status=Tender.Status.OPEN)
    response = alice.post(
        f"/tenders/{tender.pk}/panel/", {"members": [evaluator_erin.pk], "moderator": lead_lucy.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tenders/{tender.pk}/"
    assert _panel(tender) == [("Erin Evaluator", False), ("Lucy Lead", True)]
    page = alice.get(f"/tenders/{tender.pk}/panel/")
    assert page.context["form"]["moderator"].value() == lead_lucy.pk


def test_it_needs_a_moderator(
    alice: Client, make_tender: TenderMaker, evaluator_erin: User
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    response = alice.post(f"/tenders/{tender.pk}/panel/", {"members": [evaluator_erin.pk]})
    assert response.status_code == 200
    assert '<a href="#id_moderator_0">Select a moderator</a>' in response.content.decode()
    assert _panel(tender) == []


def test_it_refuses_someone_from_another_organisation(
    alice: Client, make_tender: TenderMaker, lead_lucy: User, officer_olga: User
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    response = alice.post(
        f"/tenders/{tender.pk}/panel/", {"members": [officer_olga.pk], "moderator": lead_lucy.pk}
    )
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert _panel(tender) == []


def test_it_replaces_members_and_keeps_who_stays(
    make_tender: TenderMaker,
    panel: Callable[[Tender], list[PanelMember]],
    officer_alice: User,
    evaluator_erin: User,
    lead_lucy: User,
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    erin_row, _ = panel(tender)
    panel_set(tender=tender, members=[evaluator_erin], moderator=officer_alice)
    assert _panel(tender) == [("Alice Officer", True), ("Erin Evaluator", False)]
    assert PanelMember.objects.get(tender=tender, user=evaluator_erin).pk == erin_row.pk
    removed = PanelMember.history.filter(user_id=lead_lucy.pk, history_type="-")
    assert removed.count() == 1


def test_it_refuses_people_who_cannot_evaluate(
    make_tender: TenderMaker, lead_lucy: User, supplier_bob: User, council: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    gone = UserFactory.create(
        full_name="Gone Away", organisation=council, role=User.Role.OFFICER, is_active=False
    )
    with pytest.raises(ValidationError) as exc:
        panel_set(tender=tender, members=[supplier_bob, gone], moderator=lead_lucy)
    assert exc.value.message_dict == {
        "members": [
            "Bob Builder cannot be on this panel: only evaluators, officers and the social "
            "value lead of Lancashire County Council can.",
            "Gone Away cannot be on this panel: only evaluators, officers and the social "
            "value lead of Lancashire County Council can.",
        ]
    }
    with pytest.raises(ValidationError) as exc:
        panel_set(tender=tender, members=[lead_lucy], moderator=None)
    assert exc.value.message_dict == {"moderator": ["Choose a moderator."]}
    assert _panel(tender) == []


@pytest.mark.parametrize("status", [Tender.Status.EVALUATED, Tender.Status.AWARDED])
def test_it_locks_the_panel_after_evaluation(
    make_tender: TenderMaker, lead_lucy: User, status: str
) -> None:
    tender = make_tender(status=status, deadline_in=timedelta(days=-5))
    with pytest.raises(ValidationError) as exc:
        panel_set(tender=tender, members=[], moderator=lead_lucy)
    assert exc.value.messages == [f"The panel of a tender that is {status} cannot be changed."]


def test_it_locks_the_panel_once_scoring_starts(
    alice: Client,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    panel: Callable[[Tender], list[PanelMember]],
    bobs_building: Organisation,
    evaluator_erin: User,
    officer_alice: User,
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    panel(tender)
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    assert panel_lock_reason(tender) is None
    QualityScore.objects.create(
        response=QualitativeResponse.objects.get(),
        evaluator=evaluator_erin,
        score=3,
        justification="Clear plan.",
    )
    assert panel_lock_reason(tender) == "The panel cannot be changed once scoring has started."
    html = alice.get(f"/tenders/{tender.pk}/panel/").content.decode()
    assert "The panel cannot be changed once scoring has started." in html
    assert "Save panel" not in html
    response = alice.post(
        f"/tenders/{tender.pk}/panel/",
        {"members": [officer_alice.pk], "moderator": officer_alice.pk},
    )
    assert "The panel cannot be changed once scoring has started." in response.content.decode()
    assert _panel(tender) == [("Erin Evaluator", False), ("Lucy Lead", True)]


def test_it_locks_the_panel_once_someone_submits(
    make_tender: TenderMaker, panel: Callable[[Tender], list[PanelMember]], lead_lucy: User
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    erin_row, _ = panel(tender)
    erin_row.scores_submitted_at = timezone.now()
    erin_row.save()
    with pytest.raises(ValidationError, match="once scoring has started"):
        panel_set(tender=tender, members=[], moderator=lead_lucy)
