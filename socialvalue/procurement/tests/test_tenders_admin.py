"""The procurement admin: policies are editable, the rest is read-only, and bids stay sealed."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
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
def ada(client_as: ClientAs, admin_ada: User) -> Client:
    """A platform administrator: the admin is theirs alone."""
    return client_as(admin_ada)


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


def test_it_lets_a_platform_administrator_correct_the_policy_with_history(
    ada: Client, council: Organisation
) -> None:
    policy = policy_for_organisation(organisation=council)
    url = f"/admin/procurement/policy/{policy.pk}/change/"
    data = _policy_change_data(
        policy, minimum_weighting="15", **{"quality_levels-5-label": "Outstanding"}
    )
    response = ada.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    policy.refresh_from_db()
    assert str(policy.minimum_weighting) == "15.00"
    assert policy.quality_levels.get(score=5).label == "Outstanding"
    assert policy.history.first().history_user.email == "ada@platform.example"
    assert ada.get(f"/admin/procurement/policy/{policy.pk}/history/").status_code == 200


def test_it_refuses_a_bad_policy_in_the_admin(ada: Client, council: Organisation) -> None:
    policy = policy_for_organisation(organisation=council)
    response = ada.post(
        f"/admin/procurement/policy/{policy.pk}/change/",
        _policy_change_data(policy, minimum_weighting="101"),
    )
    assert response.status_code == 200
    policy.refresh_from_db()
    assert str(policy.minimum_weighting) == "10.00"


def test_it_shows_a_platform_administrator_every_organisations_policy(
    ada: Client, council: Organisation, blackpool: Organisation
) -> None:
    ours = policy_for_organisation(organisation=council)
    theirs = policy_for_organisation(organisation=blackpool)
    listing = ada.get("/admin/procurement/policy/").content.decode()
    assert "Blackpool" in listing
    assert "Lancashire County Council" in listing
    for policy in (ours, theirs):
        assert ada.get(f"/admin/procurement/policy/{policy.pk}/change/").status_code == 200
        assert ada.get(f"/admin/procurement/policy/{policy.pk}/history/").status_code == 200


def test_it_would_show_anyone_else_only_their_organisations_records(
    rf: Any, lead_lucy: User, council: Organisation, blackpool: Organisation
) -> None:
    """Defence in depth: the admin refuses everyone but platform administrators, and even
    if one of its pages were opened to a lead, it would list only their organisation's."""
    from django.contrib import admin

    ours = policy_for_organisation(organisation=council)
    policy_for_organisation(organisation=blackpool)
    request = rf.get("/admin/procurement/policy/")
    request.user = lead_lucy
    queryset = admin.site.get_model_admin(Policy).get_queryset(request)
    assert list(queryset) == [ours]


def test_it_shows_tenders_read_only(ada: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=Tender.Status.DRAFT, title="Gritting")
    listing = ada.get("/admin/procurement/tender/?q=Gritting")
    assert listing.status_code == 200
    assert tender.reference in listing.content.decode()
    change = ada.get(f"/admin/procurement/tender/{tender.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert (
        ada.post(f"/admin/procurement/tender/{tender.pk}/change/", {"title": "Changed"}).status_code
        == 403
    )
    assert ada.get("/admin/procurement/tender/add/").status_code == 403
    assert ada.get(f"/admin/procurement/tender/{tender.pk}/history/").status_code == 200
    tender.refresh_from_db()
    assert tender.title == "Gritting"


@pytest.mark.parametrize("who", ["lead_lucy", "officer_alice", "evaluator_erin", "supplier_bob"])
def test_it_keeps_everyone_else_out_of_the_admin(
    request: pytest.FixtureRequest, client_as: ClientAs, make_tender: TenderMaker, who: str
) -> None:
    tender = make_tender()
    client = client_as(request.getfixturevalue(who))
    response = client.get(f"/admin/procurement/tender/{tender.pk}/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_keeps_a_bid_sealed_in_the_admin_until_the_deadline(
    ada: Client,
    root: User,
    client_as: ClientAs,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
) -> None:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=3))
    bid = make_bid(tender, bobs_building, price="123456.78", lines=[("NT1", "2", None)])
    for client in (ada, client_as(root)):
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
    ada: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(hours=-1))
    bid = make_bid(tender, bobs_building, price="123456.78", lines=[("NT1", "2", None)])
    listing = ada.get("/admin/procurement/bid/").content.decode()
    assert "Bob&#x27;s Building" in listing
    change = ada.get(f"/admin/procurement/bid/{bid.pk}/change/")
    assert change.status_code == 200
    html = change.content.decode()
    assert "Deliver 2 of NT1 across the contract." in html
    assert 'name="_save"' not in html
    assert (
        ada.post(f"/admin/procurement/bid/{bid.pk}/change/", {"price": "1.00"}).status_code == 403
    )
    bid.refresh_from_db()
    assert str(bid.price) == "123456.78"


def test_it_never_lists_draft_bids(
    ada: Client, make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(hours=-1))
    bid = make_bid(tender, bobs_building, status=Bid.Status.DRAFT)
    assert "Bob&#x27;s Building" not in ada.get("/admin/procurement/bid/").content.decode()
    assert ada.get(f"/admin/procurement/bid/{bid.pk}/history/").status_code == 404


def test_it_keeps_scores_independent_in_the_admin(
    client_as: ClientAs,
    lead_lucy: User,
    evaluator_erin: User,
    make_tender: TenderMaker,
    make_bid: BidMaker,
    panel: Callable[[Tender], list[PanelMember]],
    bobs_building: Organisation,
) -> None:
    # Lucy is on the panel and, here, a platform administrator too: the admin still must not
    # show her a colleague's scores before she has submitted her own.
    lead_lucy.user_permissions.add(
        Permission.objects.get(codename="administer_platform", content_type__app_label="accounts")
    )
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(hours=-1))
    erin_row, lucy_row = panel(tender)
    make_bid(tender, bobs_building, lines=[("NT1", "2", None)])
    response = QualitativeResponse.objects.get()
    QualityScore.objects.create(
        response=response, evaluator=evaluator_erin, score=4, justification="Erin's view."
    )
    lucy = client_as(User.objects.get(pk=lead_lucy.pk))

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
    ada: Client, make_tender: TenderMaker, panel: Callable[[Tender], list[PanelMember]]
) -> None:
    tender = make_tender()
    member, _ = panel(tender)
    assert "Erin Evaluator" in ada.get("/admin/procurement/panelmember/").content.decode()
    assert ada.get("/admin/procurement/panelmember/add/").status_code == 403
    assert (
        ada.post(f"/admin/procurement/panelmember/{member.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert PanelMember.objects.filter(pk=member.pk).exists()
