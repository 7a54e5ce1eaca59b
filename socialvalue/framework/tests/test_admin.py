"""The framework admin: published versions are read-only; publish and retire are actions."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion, Measure, Outcome, Theme
from socialvalue.framework.tests.conftest import framework_doc, load_doc, measure_doc

ClientAs = Callable[[User | None], Client]


def measure_form(measure: Measure, **changes: Any) -> dict[str, Any]:
    data = {
        "version": measure.version_id,
        "theme": measure.theme_id,
        "outcome": measure.outcome_id,
        "code": measure.code,
        "description": measure.description,
        "unit": measure.unit,
        "proxy_value": "" if measure.proxy_value is None else str(measure.proxy_value),
        "value_type": measure.value_type,
        "evidence_required": measure.evidence_required,
        "examples": measure.examples,
        "order": measure.order,
    }
    data.update(changes)
    return data


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def ada(client_as: ClientAs, admin_ada: User) -> Client:
    """A platform administrator: the admin is theirs alone."""
    return client_as(admin_ada)


@pytest.mark.parametrize(
    "who", [None, "lead_lucy", "officer_alice", "evaluator_erin", "officer_olga", "supplier_bob"]
)
def test_it_keeps_everyone_but_platform_administrators_out_of_the_framework_admin(
    request: pytest.FixtureRequest, client_as: ClientAs, toms: FrameworkVersion, who: str | None
) -> None:
    user = request.getfixturevalue(who) if who else None
    response = client_as(user).get(reverse("admin:framework_measure_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lets_a_platform_administrator_browse_the_framework_admin(
    ada: Client, toms: FrameworkVersion
) -> None:
    for name in ("framework", "frameworkversion", "theme", "outcome", "measure"):
        response = ada.get(reverse(f"admin:framework_{name}_changelist"))
        assert response.status_code == 200, name


def test_it_shows_a_published_measure_read_only(ada: Client, toms: FrameworkVersion) -> None:
    measure = Measure.objects.get(version=toms, code="NT4")
    response = ada.get(reverse("admin:framework_measure_change", args=[measure.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert 'name="description"' not in html


def test_it_refuses_to_change_a_published_measure_in_the_admin(
    ada: Client, toms: FrameworkVersion
) -> None:
    measure = Measure.objects.get(version=toms, code="NT4")
    url = reverse("admin:framework_measure_change", args=[measure.pk])
    response = ada.post(url, measure_form(measure, proxy_value="1.00", description="Changed"))
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.proxy_value == Decimal("15382.90")
    assert measure.description.startswith("No. of full time equivalent local employees")


def test_it_refuses_to_delete_published_content_in_the_admin(
    ada: Client, toms: FrameworkVersion
) -> None:
    measure = Measure.objects.get(version=toms, code="NT4")
    theme = Theme.objects.get(version=toms, slug="economic-prosperity")
    for url in (
        reverse("admin:framework_measure_delete", args=[measure.pk]),
        reverse("admin:framework_theme_delete", args=[theme.pk]),
        reverse("admin:framework_frameworkversion_delete", args=[toms.pk]),
    ):
        assert ada.post(url, {"post": "yes"}).status_code == 403, url
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_refuses_bulk_deletes_of_published_content_in_the_admin(
    ada: Client, toms: FrameworkVersion
) -> None:
    pks = list(Measure.objects.filter(version=toms).values_list("pk", flat=True)[:3])
    response = ada.post(
        reverse("admin:framework_measure_changelist"),
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )
    assert response.status_code == 403
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_refuses_to_change_a_published_version_in_the_admin(
    ada: Client, toms: FrameworkVersion
) -> None:
    url = reverse("admin:framework_frameworkversion_change", args=[toms.pk])
    response = ada.post(
        url,
        {
            "framework": toms.framework_id,
            "slug": toms.slug,
            "name": "Renamed",
            "label": toms.label,
            "attribution": "",
        },
    )
    assert response.status_code == 403
    toms.refresh_from_db()
    assert toms.name == "Lancashire TOMs 2024"


def test_it_refuses_to_add_a_measure_to_a_published_version(
    ada: Client, toms: FrameworkVersion
) -> None:
    outcome = Outcome.objects.filter(version=toms).select_related("theme").first()
    assert outcome is not None
    response = ada.post(
        reverse("admin:framework_measure_add"),
        {
            "version": toms.pk,
            "theme": outcome.theme_id,
            "outcome": outcome.pk,
            "code": "NT99",
            "description": "Sneaked in",
            "unit": "Number of weeks",
            "proxy_value": "1.00",
            "value_type": "social",
            "evidence_required": "None.",
            "order": 99,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Measure.objects.filter(code="NT99").exists()


def test_it_lets_a_platform_administrator_edit_a_draft_measure(ada: Client, db: None) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1", "10.00")]))
    measure = Measure.objects.get(version=draft, code="A1")
    url = reverse("admin:framework_measure_change", args=[measure.pk])
    response = ada.post(url, measure_form(measure, proxy_value="11.50"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.proxy_value == Decimal("11.50")


def test_it_refuses_a_theme_from_another_version(ada: Client, db: None) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1")]))
    other = load_doc(framework_doc("test-2", [measure_doc("B1")], label="2"))
    measure = Measure.objects.get(version=draft, code="A1")
    other_theme = Theme.objects.get(version=other)
    url = reverse("admin:framework_measure_change", args=[measure.pk])
    response = ada.post(url, measure_form(measure, theme=other_theme.pk))
    assert response.status_code == 200
    assert "Choose a theme of version test-1." in response.content.decode()
    measure.refresh_from_db()
    assert measure.theme.version == draft


def test_it_publishes_drafts_from_the_admin(ada: Client, toms_2025_draft: FrameworkVersion) -> None:
    response = ada.post(
        reverse("admin:framework_frameworkversion_changelist"),
        {"action": "publish_selected", "_selected_action": [toms_2025_draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == ["Published lancashire-toms-2025."]
    statuses = dict(FrameworkVersion.objects.values_list("slug", "status"))
    assert statuses == {"lancashire-toms-2024": "retired", "lancashire-toms-2025": "published"}


def test_it_reports_a_refused_publish_in_the_admin(ada: Client, toms: FrameworkVersion) -> None:
    response = ada.post(
        reverse("admin:framework_frameworkversion_changelist"),
        {"action": "publish_selected", "_selected_action": [toms.pk]},
        follow=True,
    )
    assert messages_of(response) == [
        "Only a draft version can be published; lancashire-toms-2024 is published."
    ]


def test_it_retires_versions_from_the_admin(ada: Client, toms: FrameworkVersion) -> None:
    draft = load_doc(framework_doc("test-1", [measure_doc("A1")]))
    response = ada.post(
        reverse("admin:framework_frameworkversion_changelist"),
        {"action": "retire_selected", "_selected_action": [toms.pk, draft.pk]},
        follow=True,
    )
    assert sorted(messages_of(response)) == [
        "Only a published version can be retired; test-1 is draft.",
        "Retired lancashire-toms-2024.",
    ]
    toms.refresh_from_db()
    assert toms.status == FrameworkVersion.Status.RETIRED


def test_it_keeps_history_of_a_version(ada: Client, toms: FrameworkVersion) -> None:
    response = ada.get(reverse("admin:framework_frameworkversion_history", args=[toms.pk]))
    assert response.status_code == 200
    assert toms.history.count() == 2  # created as a draft, then published
