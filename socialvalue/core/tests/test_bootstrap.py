from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.demo import DEMO_PASSWORD
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
    # Users: 10 in core/demo.py and 1 partner user; organisations: 9 and 4 more partners.
    assert counts == (11, 13, 43)
    assert "framework already loaded" in second
    assert "local-needs data already loaded" in second
    assert "lead@lancashire.example" in first
    assert DEMO_PASSWORD in first


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_it_gives_every_role_a_demo_login() -> None:
    run_bootstrap("--demo")
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"lead", "officer", "evaluator", "supplier", "partner"}
    lead = User.objects.get(email="lead@lancashire.example")
    assert lead.check_password(DEMO_PASSWORD)
    assert lead.organisation is not None
    assert lead.organisation.name == "Lancashire County Council"


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=False)
def test_it_refuses_demo_users_in_production() -> None:
    with pytest.raises(CommandError, match="Refusing to load demo users"):
        run_bootstrap("--demo")
    assert not User.objects.exists()
