"""The results say which offers come from local suppliers (postcode in Lancashire)."""

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.models import Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker


def test_it_marks_local_suppliers_in_the_results(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    lead_lucy: User,
    officer_alice: User,
    client_as: Callable[[User | None], Client],
) -> None:
    tender = make_tender(status=Tender.Status.CLOSED, deadline_in=timedelta(days=-1))
    manchester = Organisation.objects.create(
        name="Manchester Works Ltd", slug="manchester-works", kind="supplier", postcode="M1 4BT"
    )
    make_bid(tender, bobs_building, lines=[("NT1", "1", 3)], moderator=lead_lucy)  # PR1 2HE
    make_bid(tender, manchester, lines=[("NT1", "1", 3)], moderator=lead_lucy)

    html = client_as(officer_alice).get(reverse("procurement:results", args=[tender.pk]))
    text = html.content.decode()

    assert "Local supplier (Preston)" in text
    assert text.count("Local supplier (") == 1
