"""The demo contracts and returns: loaded by ``bootstrap --demo``, idempotent, every state."""

from collections.abc import Iterator
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from PIL import Image

from socialvalue.bootstrap.demo import demo_load
from socialvalue.bootstrap.demo.accounts import load_organisations_and_users
from socialvalue.bootstrap.demo.contracts import contracts_demo, pdf_bytes
from socialvalue.bootstrap.demo.procurement import procurement_demo
from socialvalue.contracts.evidence import detect_kind
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReminderSent,
    ReportingPeriod,
    Return,
    ReturnLine,
    Target,
)
from socialvalue.contracts.performance import Rag, performance_for
from socialvalue.core.quarters import quarter_of
from socialvalue.framework.services import framework_default_ensure

pytestmark = pytest.mark.django_db

REFERENCES = ["BC-2024-019", "LCC-2023-118", "LCC-2025-044", "LCC-GR-2024-07", "PL-2023-0457"]


@pytest.fixture(scope="class")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Loaded once for the tests of a class, and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        framework_default_ensure()
        demo_load()
        yield
        transaction.set_rollback(True)


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Contract, Target, ReportingPeriod, Return, ReturnLine, LineEvent, Evidence)
    )


@pytest.mark.usefixtures("demo")
class TestTheDemo:
    """What ``bootstrap --demo`` leaves: read by each test, loaded once."""

    def test_it_loads_twice_without_duplicates(self, demo: None) -> None:
        first = _counts()
        demo_load()
        assert _counts() == first
        assert sorted(Contract.objects.values_list("reference", flat=True)) == REFERENCES

    def test_it_covers_each_lever_buyer_and_a_measure_without_a_proxy(self, demo: None) -> None:
        contracts = {c.reference: c for c in Contract.objects.select_related("organisation")}
        assert {c.lever for c in contracts.values()} == {"procurement", "planning", "grant"}
        assert contracts["PL-2023-0457"].lever == "planning"
        assert contracts["LCC-GR-2024-07"].lever == "grant"
        assert contracts["BC-2024-019"].organisation.name == "Blackpool Council"
        assert contracts["LCC-2025-044"].bid is not None  # the award, from the procurement demo
        assert {c.supplier.name for c in contracts.values()} == {
            "Ribble Highways Ltd",
            "Pendle Care Partnership CIC",
            "Northern Civils plc",
            "Fylde Coast Facilities Group",
        }
        nt41 = Target.objects.get(contract=contracts["LCC-2025-044"], measure__code="NT41")
        assert nt41.measure.proxy_value is None
        assert ReturnLine.objects.filter(measure__code="NT41").exists()

    def test_it_has_at_least_four_past_quarters_of_returns_in_every_state(self, demo: None) -> None:
        today = timezone.localdate()
        submitted = Return.objects.filter(status=Return.Status.SUBMITTED)
        assert submitted.values("period").distinct().count() >= 4
        assert set(ReturnLine.objects.values_list("status", flat=True)) == {
            "draft",
            "submitted",
            "verified",
            "queried",
            "rejected",
        }
        assert submitted.filter(is_nil=True).exists()
        assert any(r.submitted_on_time is False for r in submitted.select_related("period"))
        assert any(r.submitted_on_time is True for r in submitted.select_related("period"))
        overdue = Return.objects.filter(status=Return.Status.DRAFT, period__due_date__lt=today)
        assert overdue.filter(supplier__name="Northern Civils plc").exists()
        assert not ReminderSent.objects.exists()

    def test_it_keeps_the_officers_messages_and_the_suppliers_answer(self, demo: None) -> None:
        queried = ReturnLine.objects.get(status="queried")
        assert queried.contract.reference == "LCC-2023-118"
        query = queried.events.get(action=LineEvent.Action.QUERIED)
        assert query.message.startswith("56 weeks for four apprentices")
        assert query.by is not None
        assert query.by.email == "officer@lancashire.example"
        rejected = ReturnLine.objects.filter(status="rejected")
        assert rejected.count() == 2
        assert all(line.events.get(action="rejected").message for line in rejected)
        answered = ReturnLine.objects.get(events__action=LineEvent.Action.RESUBMITTED)
        assert answered.status == "verified"
        assert [e.action for e in answered.events.all()] == [
            "created",
            "submitted",
            "queried",
            "evidence_added",
            "resubmitted",
            "verified",
        ]
        times = [e.at for e in answered.events.all()]
        assert times == sorted(times)
        assert times[0].date() < timezone.localdate() - timedelta(days=180)

    def test_it_stores_real_evidence_files(self, demo: None) -> None:
        storage = storages["evidence"]
        kinds = set()
        for evidence in Evidence.objects.all():
            with storage.open(evidence.file.name) as handle:
                data = handle.read()
            assert len(data) == evidence.size
            kind = detect_kind(data)
            assert kind is not None
            assert kind.content_type == evidence.content_type
            kinds.add(kind.label)
            if kind.label == "PNG":
                assert Image.open(BytesIO(data)).size == (480, 260)
        assert {"PDF", "PNG", "CSV"} <= kinds

    def test_it_shows_contracts_green_amber_and_red(self, demo: None) -> None:
        contracts = list(Contract.objects.all())
        rag = {p.contract.reference: p.rag for p in performance_for(contracts).values()}
        assert rag["LCC-2023-118"] == Rag.GREEN
        assert rag["LCC-GR-2024-07"] == Rag.AMBER
        assert rag["PL-2023-0457"] == Rag.RED
        assert {Rag.GREEN, Rag.AMBER, Rag.RED} <= set(rag.values())


def test_it_makes_a_well_formed_pdf() -> None:
    data = pdf_bytes("Payroll (Q1)", ["Line with a \\ backslash"])
    assert data.startswith(b"%PDF-1.4\n")
    assert data.endswith(b"%%EOF\n")
    assert b"(Payroll \\(Q1\\)) Tj" in data
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref:].startswith(b"xref\n0 6\n")
    offsets = [int(row[:10]) for row in data[xref:].split(b"\n")[3:8]]
    assert [data[o:].split(b" ")[0] for o in offsets] == [b"1", b"2", b"3", b"4", b"5"]


@pytest.mark.parametrize("days_ago", [20, 50, 95])
def test_it_tells_the_same_story_whatever_the_day(days_ago: int) -> None:
    """Wherever today falls in its quarter (before or after last quarter's due date), the
    demo has the same states and colours."""
    today = timezone.localdate() - timedelta(days=days_ago)
    framework_default_ensure()
    load_organisations_and_users()
    procurement_demo()
    contracts_demo(today=today)
    current = quarter_of(today)
    assert not Return.objects.filter(
        period__start_date__gt=current.start, lines__isnull=False
    ).exists()
    assert {"draft", "submitted", "verified", "queried", "rejected"} == set(
        ReturnLine.objects.values_list("status", flat=True)
    )
    contracts = Contract.objects.exclude(reference="LCC-2025-044")
    performance = performance_for(list(contracts), as_of=today)
    rag = {p.contract.reference: p.rag for p in performance.values()}
    assert rag == {
        "LCC-2023-118": Rag.GREEN,
        "LCC-GR-2024-07": Rag.AMBER,
        "BC-2024-019": Rag.AMBER,
        "PL-2023-0457": Rag.RED,
    }
    last = ReportingPeriod.objects.get(end_date=current.start - timedelta(days=1))
    assert Return.objects.get(supplier__name="Ribble Highways Ltd", period=last).submitted_on_time
    assert all(
        r.submitted_at is not None and timezone.localdate(r.submitted_at) <= timezone.localdate()
        for r in Return.objects.filter(status="submitted")
    )
