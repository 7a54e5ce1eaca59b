"""Organisation and user properties, and the staff-status migration."""

import pytest

from socialvalue.accounts.models import Organisation, User


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("PR1 2HE", "Preston"),  # PR1 is mainly Preston (66%)
        ("bb11 2dl", "Burnley"),
        ("PR8 1AA", None),  # Southport: mainly Sefton, outside Lancashire
        ("M1 4BT", None),  # Manchester
        ("", None),
        ("not a postcode", None),
    ],
)
def test_it_tells_whether_an_organisation_is_a_local_supplier(
    postcode: str, district: str | None
) -> None:
    assert Organisation(name="Any", postcode=postcode).local_district == district


def test_it_has_a_cabinet_member_who_is_not_an_officer(council: Organisation) -> None:
    from socialvalue.accounts.services import user_create

    cara = user_create(
        email="cara@lancashire.example", full_name="Cara", organisation=council, role="cabinet"
    )
    assert cara.get_role_display() == "Cabinet member"
    assert (cara.is_cabinet, cara.is_officer, cara.is_evaluator, cara.is_lead) == (
        True,
        False,
        False,
        False,
    )


def test_it_keeps_djangos_session_hash_until_sessions_are_ended(officer_alice: User) -> None:
    from django.contrib.auth.base_user import AbstractBaseUser

    assert officer_alice.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(
        officer_alice
    )
    officer_alice.session_generation = 1
    assert officer_alice.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(
        officer_alice
    )


def test_it_recomputes_staff_status_when_migrating(
    lead_lucy: User, officer_alice: User, admin_ada: User
) -> None:
    """The data migration: leads were staff for the admin's sign-in form; now only platform
    administrators (superusers and permission holders) are."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "socialvalue.accounts.migrations.0004_recompute_staff_status"
    )
    User.objects.filter(pk__in=[lead_lucy.pk, officer_alice.pk]).update(is_staff=True)
    User.objects.filter(pk=admin_ada.pk).update(is_staff=False)
    root = User.objects.create_superuser("root@example.org", "a-long-admin-password")
    User.objects.filter(pk=root.pk).update(is_staff=False)
    migration.recompute_staff_status(apps, None)
    staff = set(User.objects.filter(is_staff=True).values_list("email", flat=True))
    assert staff == {"ada@platform.example", "root@example.org"}
