"""The procurement admin: policies are editable, the rest is read-only, and bids stay sealed."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.models import (
    Bid,
    PanelMember,
    Policy,
    QualitativeResponse,
    QualityScore,
    Tender,
)
from socialvalue.procurement.services import policy_for_organisation
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def lucy(client_as: ClientAs, lead_lucy: User) -> Client:
    return client_as(lead_lucy)


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser(
        "root@example.org", "a-long-admin-password", full_name="Root Admin"
    )


def _policy_change_data(policy: Policy, **fields: str) -> dict[str, str]:
    data = {
        "threshold": str(policy.threshold),
        "minimum_weighting": str(policy.minimum_weighting),
        "default_quantitative_share": str(policy.default_quantitative_share),
        "default_deliverability_threshold": str(policy.default_deliverability_threshold),
        "quality_levels-TOTAL_FORMS": "6",
        "quality_levels-INITIAL_FORMS": "6",
        "quality_levels-MIN_NUM_FORMS": "0",
        "quality_levels-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, level in enumerate(policy.quality_levels.order_by("score")):
        data[f"quality_levels-{index}-id"] = str(level.pk)
        data[f"quality_levels-{index}-policy"] = str(policy.pk)
        data[f"quality_levels-{index}-label"] = level.label
        data[f"quality_levels-{index}-descriptor"] = level.descriptor
    data.update(fields)
    return data


def test_it_lets_the_lead_correct_the_policy_with_history(
    lucy: Client, council: Organisation
) -> None:
    policy = policy_for_organisation(organisation=council)
    url = f"/admin/procurement/policy/{policy.pk}/change/"
    data = _policy_change_data(
        policy, minimum_weighting="15", **{"quality_levels-5-label": "Outstanding"}
    )
    response = lucy.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert str(policy.minimum_weighting) == "15.00"
    assert policy.quality_levels.get(score=5).label == "Outstanding"
    assert policy.history.first().history_user.email == "lucy@lancashire.example"
    assert lucy.get(f"/admin/procurement/policy/{policy.pk}/history/").status_code == 200


def test_it_refuses_a_bad_policy_in_the_admin(lucy: Client, council: Organisation) -> None:
    policy = policy_for_organisation(organisation=council)
    response = lucy.post(
        f"/admin/procurement/policy/{policy.pk}/change/",
        _policy_change_data(policy, minimum_weighting="101"),
    )
    assert response.status_code == 200
    policy.refresh_from_db()
    assert str(policy.minimum_weighting) == "10.00"


def test_it_keeps_other_organisations_policies_from_the_lead(
    lucy: Client, blackpool: Organisation
) -> None:
    theirs = policy_for_organisation(organisation=blackpool)
    assert "Blackpool" not in lucy.get("/admin/procurement/policy/").content.decode()
    response = lucy.get(f"/admin/procurement/policy/{theirs.pk}/change/")
    assert response.status_code == 302  # "does not exist", back to the admin index
    assert lucy.get(f"/admin/procurement/policy/{theirs.pk}/history/").status_code == 404


def test_it_shows_tenders_read_only(lucy: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=Tender.Status.DRAFT, title="Gritting")
    listing = lucy.get("/admin/procurement/tender/?q=Gritting")
    assert listing.status_code == 200
    assert tender.reference in listing.content.decode()
    change = lucy.get(f"/admin/procurement/tender/{tender.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert (
        lucy.post(
            f"/admin/procurement/tender/{tender.pk}/change/", {"title": "Changed"}
        ).status_code
        == 403
    )
    assert lucy.get("/admin/procurement/tender/add/").status_code == 403
    assert lucy.get(f"/admin/procurement/tender/{tender.pk}/history/").status_code == 200
    tender.refresh_from_db()
    assert tender.title == "Gritting"


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "supplier_bob"])
def test_it_keeps_everyone_else_out_of_the_admin(
    request: pytest.FixtureRequest, client_as: ClientAs, make_tender: TenderMaker, who: str
) -> None:
    tender = make_tender()
    client = client_as(request.getfixturevalue(who))
    response = client.get(f"/admin/procurement/tender/{tender.pk}/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_keeps_a_bid_sealed_in_the_admin_until_the_deadline(
    lucy: Client,
    root: User,
    client_as: ClientAs,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
) -> None:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=3))
    bid = make_bid(tender, bobs_building, price="123456.78", lines=[("NT1", "2", None)])
    for client in (lucy, client_as(root)):
        listing = client.get("/admin/procurement/bid/").content.decode()
        assert "Bob&#x27;s Building" not in listing
        assert "123456.78" not in listing
        assert "123,456.78" not in listing
        assert client.get(f"/admin/procurement/bid/{bid.pk}/change/").status_code == 403
        assert client.get(f"/admin/procurement/bid/{bid.pk}/history/").status_code == 403
        history = bid.history.first()
        assert history is not None
        assert (
            client.get(f"/admin/procurement/bid/{bid.pk}/history/{history.history_id}/").status_code
            == 403
        )
        assert client.post(f"/admin/procurement/bid/{bid.pk}/delete/").status_code in {403, 302}
    assert Bid.objects.filter(pk=bid.pk).exists()


def test_it_shows_a_bid_read_only_after_the_deadline(
    lucy: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(hours=-1))
    bid = make_bid(tender, bobs_building, price="123456.78", lines=[("NT1", "2", None)])
    listing = lucy.get("/admin/procurement/bid/").content.decode()
    assert "Bob&#x27;s Building" in listing
    change = lucy.get(f"/admin/procurement/bid/{bid.pk}/change/")
    assert change.status_code == 200
    html = change.content.decode()
    assert "Deliver 2 of NT1 across the contract." in html
    assert 'name="_save"' not in html
    assert (
        lucy.post(f"/admin/procurement/bid/{bid.pk}/change/", {"price": "1.00"}).status_code == 403
    )
    bid.refresh_from_db()
    assert str(bid.price) == "123456.78"


def test_it_never_lists_draft_bids(
    lucy: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(hours=-1))
    bid = make_bid(tender, bobs_building, status=Bid.Status.DRAFT)
    assert "Bob&#x27;s Building" not in lucy.get("/admin/procurement/bid/").content.decode()
    assert lucy.get(f"/admin/procurement/bid/{bid.pk}/history/").status_code == 404


def test_it_keeps_scores_independent_in_the_admin(
    client_as: ClientAs,
    lead_lucy: User,
    evaluator_erin: User,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    panel: Callable[[Tender], list[PanelMember]],
    bobs_building: Organisation,
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(hours=-1))
    erin_row, lucy_row = panel(tender)
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    response = QualitativeResponse.objects.get()
    QualityScore.objects.create(
        response=response, evaluator=evaluator_erin, score=4, justification="Erin's view."
    )
    lucy = client_as(lead_lucy)

    def listed() -> str:
        return lucy.get("/admin/procurement/qualityscore/").content.decode()

    assert "Erin Evaluator" not in listed()  # Erin has not submitted
    erin_row.scores_submitted_at = timezone.now()
    erin_row.save()
    assert "Erin Evaluator" not in listed()  # Lucy is on the panel and has not submitted
    lucy_row.scores_submitted_at = timezone.now()
    lucy_row.save()
    assert "Erin Evaluator" in listed()
    score = QualityScore.objects.get()
    assert (
        lucy.post(f"/admin/procurement/qualityscore/{score.pk}/change/", {"score": "1"}).status_code
        == 403
    )
    score.refresh_from_db()
    assert score.score == 4


def test_it_shows_panel_members_read_only(
    lucy: Client, make_tender: TenderMaker, panel: Callable[[Tender], list[PanelMember]]
) -> None:
    tender = make_tender()
    member, _ = panel(tender)
    assert "Erin Evaluator" in lucy.get("/admin/procurement/panelmember/").content.decode()
    assert lucy.get("/admin/procurement/panelmember/add/").status_code == 403
    assert (
        lucy.post(
            f"/admin/procurement/panelmember/{member.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert PanelMember.objects.filter(pk=member.pk).exists()
