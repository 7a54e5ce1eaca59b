from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from socialvalue.accounts.models import Organisation, User
from socialvalue.bootstrap.demo import DEMO_PASSWORD
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.needs.models import Area


def run_bootstrap(*args: str) -> str:
    out = StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_loads_and_publishes_the_lancashire_toms() -> None:
    output = run_bootstrap()
    version = FrameworkVersion.objects.get(slug="lancashire-toms-2024")
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert Measure.objects.filter(version=version).count() == 43
    assert Area.objects.filter(level=Area.Level.LSOA).count() == 941
    assert output.strip().endswith(
        "Bootstrap complete: database migrated, loaded lancashire-toms-2024 (43 measures), "
        "loaded local-needs data (14 districts, 941 LSOAs)."
    )


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_it_is_idempotent_with_demo_data() -> None:
    first = run_bootstrap("--demo")
    counts = (User.objects.count(), Organisation.objects.count(), Measure.objects.count())
    second = run_bootstrap("--demo")
    assert (User.objects.count(), Organisation.objects.count(), Measure.objects.count()) == counts
    # Users: 12 in bootstrap/demo/accounts.py, the platform administrator and 1 partner user;
    # organisations: 9 and 4 more partners.
    assert counts == (14, 13, 43)
    assert "framework already loaded" in second
    assert "local-needs data already loaded" in second
    assert "lead@lancashire.example" in first
    assert DEMO_PASSWORD in first


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_it_gives_every_role_a_demo_login() -> None:
    run_bootstrap("--demo")
    roles = set(User.objects.exclude(role="").values_list("role", flat=True))
    assert roles == {"lead", "officer", "evaluator", "cabinet", "supplier", "partner"}
    lead = User.objects.get(email="lead@lancashire.example")
    assert lead.check_password(DEMO_PASSWORD)
    assert lead.organisation is not None
    assert lead.organisation.name == "Lancashire County Council"
    assert lead.is_staff is False
    blackpool_lead = User.objects.get(email="lead@blackpool.example")
    assert blackpool_lead.role == "lead"
    assert str(blackpool_lead.organisation) == "Blackpool Council"
    cabinet = User.objects.get(email="cabinet@lancashire.example")
    assert (cabinet.role, cabinet.is_officer) == ("cabinet", False)
    admin = User.objects.get(email="admin@platform.example")
    assert (admin.is_superuser, admin.is_staff, admin.organisation) == (True, True, None)
    assert admin.check_password(DEMO_PASSWORD)
    # Only the platform administrator is staff.
    assert list(User.objects.filter(is_staff=True).values_list("email", flat=True)) == [
        "admin@platform.example"
    ]


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=False)
def test_it_refuses_demo_users_in_production() -> None:
    with pytest.raises(CommandError, match="Refusing to load demo users"):
        run_bootstrap("--demo")
    assert not User.objects.exists()
