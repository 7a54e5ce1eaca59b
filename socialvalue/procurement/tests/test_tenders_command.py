"""``socialvalue close_due_tenders``: closes what is due, once, and says how many."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from socialvalue.procurement.models import Tender
from socialvalue.procurement.tests.conftest import TenderMaker


def _run() -> str:
    out = StringIO()
    call_command("close_due_tenders", stdout=out)
    return out.getvalue().strip()


def test_it_closes_open_tenders_past_their_deadline_once(make_tender: TenderMaker) -> None:
    due = [
        make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(minutes=-1)),
        make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=-3)),
    ]
    waiting = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=2))
    draft = make_tender(status=Tender.Status.DRAFT, deadline_in=timedelta(days=-1))
    assert _run() == "Closed 2 tenders whose deadline had passed."
    for tender in due:
        tender.refresh_from_db()
        assert tender.status == Tender.Status.CLOSED
        assert tender.closed_at is not None
    waiting.refresh_from_db()
    draft.refresh_from_db()
    assert waiting.status == Tender.Status.OPEN
    assert draft.status == Tender.Status.DRAFT
    assert _run() == "Closed 0 tenders whose deadline had passed."


def test_it_says_one_tender(make_tender: TenderMaker) -> None:
    make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(seconds=-1))
    assert _run() == "Closed 1 tender whose deadline had passed."
