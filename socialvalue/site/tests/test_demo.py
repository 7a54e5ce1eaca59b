"""The demonstration website content."""

import io

import pytest
from django.test import Client

from socialvalue.bootstrap import demo
from socialvalue.bootstrap.demo.accounts import load_organisations_and_users
from socialvalue.bootstrap.demo.site import site_demo
from socialvalue.site.files import sniff_file_type
from socialvalue.site.models import Faq, Feedback, Page, Resource

pytestmark = pytest.mark.django_db


def test_it_is_registered_once_as_a_demo_step() -> None:
    assert demo.DEMO_STEPS.count(site_demo) == 1


def test_it_loads_resources_faqs_the_policy_and_feedback_once(public_dave: Client) -> None:
    load_organisations_and_users()
    site_demo()
    site_demo()

    published = Resource.objects.filter(is_published=True)
    assert published.count() == 10
    assert sorted(set(published.values_list("category", flat=True))) == [
        "good_bids",
        "guidance",
        "itt_wording",
        "policy",
        "presentations",
        "templates",
        "webinars",
    ]
    assert list(Resource.objects.filter(is_published=False).values_list("title", flat=True)) == [
        "Social value forum 2026: slides"
    ]
    files = {r.file_name: r for r in published.exclude(file="")}
    assert sorted(files) == [
        "evidence-checklist.csv",
        "example-good-bid-highways.pdf",
        "market-engagement-2026.pdf",
        "qualitative-delivery-plan.docx",
    ]
    for name, resource in files.items():
        with resource.file.open("rb") as handle:
            assert sniff_file_type(io.BytesIO(handle.read())) == name.rsplit(".", 1)[1]
    assert Faq.objects.filter(is_published=True).count() == 10
    assert Page.objects.get(slug="policy").is_published is True
    assert sorted(Feedback.objects.values_list("status", flat=True)) == [
        "actioned",
        "new",
        "reviewed",
    ]
    lead_history = Resource.history.filter(history_user__email="lead@lancashire.example")
    assert lead_history.count() == 21  # 11 created, 10 published

    faqs = public_dave.get("/faqs/").content.decode()
    assert 'id="how-are-social-value-offers-scored"' in faqs
    assert 'href="/needs/postcode/"' in faqs
    itt = public_dave.get("/resources/social-value-itt-wording/").content.decode()
    assert 'href="/faqs/#how-are-social-value-offers-scored"' in itt
    download = public_dave.get("/resources/example-of-a-good-bid-highways/download")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
