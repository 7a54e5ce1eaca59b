import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socialvalue.accounts import services
from socialvalue.accounts.models import ApiToken, Organisation, ServiceArea, User
from socialvalue.accounts.services import (
    api_token_create,
    api_token_revoke,
    directorate_create,
    organisation_create,
    service_area_create,
    user_create,
    user_role_set,
)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_it_creates_an_organisation_with_a_slug(db: None) -> None:
    org = organisation_create(
        name="  Preston Community Trust ", kind="partner", size="small", postcode="pr1 2he"
    )
    assert org.name == "Preston Community Trust"
    assert org.slug == "preston-community-trust"
    assert org.postcode == "PR1 2HE"
    assert org.kind == Organisation.Kind.PARTNER


def test_it_refuses_a_duplicate_organisation_name_in_any_case(council: Organisation) -> None:
    with pytest.raises(ValidationError) as exc:
        organisation_create(name="lancashire county council", kind="buyer")
    assert _messages(exc) == {"name": [services.ORGANISATION_NAME_TAKEN]}


@pytest.mark.parametrize(
    ("name", "kind", "field", "message"),
    [
        ("", "buyer", "name", services.ORGANISATION_NAME_REQUIRED),
        ("   ", "buyer", "name", services.ORGANISATION_NAME_REQUIRED),
        ("Somewhere", "charity", "kind", services.ORGANISATION_KIND_INVALID),
    ],
)
def test_it_refuses_a_bad_organisation(
    db: None, name: str, kind: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        organisation_create(name=name, kind=kind)
    assert _messages(exc) == {field: [message]}
    assert Organisation.objects.count() == 0


def test_it_gives_a_second_organisation_with_the_same_slug_a_new_one(db: None) -> None:
    organisation_create(name="Burnley FC in the Community", kind="partner")
    second = organisation_create(name="Burnley F.C. in the Community", kind="partner")
    assert second.slug == "burnley-fc-in-the-community-2"


def test_it_adds_directorates_and_service_areas_to_a_buyer(council: Organisation) -> None:
    directorate = directorate_create(organisation=council, name="Resources")
    area = service_area_create(directorate=directorate, name="Procurement")
    assert list(council.directorates.values_list("name", flat=True)) == ["Resources"]
    assert area.directorate.organisation == council


def test_it_refuses_a_directorate_for_a_supplier(bobs_building: Organisation) -> None:
    with pytest.raises(ValidationError) as exc:
        directorate_create(organisation=bobs_building, name="Operations")
    assert _messages(exc) == {"organisation": [services.DIRECTORATE_NOT_BUYER]}


@pytest.mark.parametrize("role", ["lead", "officer", "evaluator", "cabinet"])
def test_it_creates_council_staff_in_a_buying_organisation(
    council: Organisation, highways: ServiceArea, role: str
) -> None:
    user = user_create(
        email="  New.Person@Lancashire.example ",
        full_name="New Person",
        organisation=council,
        role=role,
        service_area=highways,
        password="a-long-enough-password",
    )
    assert user.email == "new.person@lancashire.example"
    assert user.role == role
    assert user.service_area == highways
    assert user.check_password("a-long-enough-password")
    assert user.is_superuser is False


def test_it_creates_a_supplier_user_in_a_supplier(bobs_building: Organisation) -> None:
    user = user_create(
        email="sam@bobsbuilding.example",
        full_name="Sam Site",
        organisation=bobs_building,
        role="supplier",
    )
    assert user.is_supplier_user
    assert user.is_staff is False
    assert user.has_usable_password() is False


@pytest.mark.parametrize("role", ["lead", "officer", "evaluator", "cabinet"])
def test_it_refuses_council_roles_outside_a_buying_organisation(
    bobs_building: Organisation, role: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        user_create(
            email="x@bobsbuilding.example", full_name="X", organisation=bobs_building, role=role
        )
    assert _messages(exc) == {"role": [services.ROLE_NEEDS_BUYER]}
    assert not User.objects.filter(email="x@bobsbuilding.example").exists()


@pytest.mark.parametrize("kind", ["buyer", "partner"])
def test_it_refuses_a_supplier_user_outside_a_supplier(db: None, kind: str) -> None:
    org = organisation_create(name="Somewhere Else", kind=kind)
    with pytest.raises(ValidationError) as exc:
        user_create(email="y@example.org", full_name="Y", organisation=org, role="supplier")
    assert _messages(exc) == {"role": [services.ROLE_NEEDS_SUPPLIER]}


def test_it_refuses_a_service_area_of_another_organisation(
    blackpool: Organisation, highways: ServiceArea
) -> None:
    with pytest.raises(ValidationError) as exc:
        user_create(
            email="z@blackpool.example",
            full_name="Z",
            organisation=blackpool,
            role="officer",
            service_area=highways,
        )
    assert _messages(exc) == {"service_area": [services.SERVICE_AREA_OTHER_ORGANISATION]}


def test_it_refuses_a_missing_role_and_a_taken_email(
    council: Organisation, officer_alice: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        user_create(
            email="ALICE@lancashire.example",
            full_name="Alice Again",
            organisation=council,
            role="",
        )
    assert _messages(exc) == {"role": [services.ROLE_REQUIRED], "email": [services.EMAIL_TAKEN]}


@pytest.mark.parametrize("role", ["lead", "officer", "evaluator", "cabinet"])
def test_it_makes_nobody_staff_for_a_role(council: Organisation, role: str) -> None:
    user = user_create(email="l@lancashire.example", full_name="L", organisation=council, role=role)
    assert user.is_staff is False


def test_it_keeps_staff_status_off_when_someone_becomes_the_lead(officer_alice: User) -> None:
    user_role_set(user=officer_alice, role="lead")
    officer_alice.refresh_from_db()
    assert officer_alice.role == "lead"
    assert officer_alice.is_staff is False
    assert officer_alice.service_area is None


def test_it_keeps_staff_status_on_for_a_platform_administrator_whatever_the_role(
    council: Organisation, admin_ada: User
) -> None:
    user_role_set(user=admin_ada, role="officer", organisation=council)
    admin_ada.refresh_from_db()
    assert admin_ada.is_staff is True


def test_it_refuses_a_role_change_that_does_not_fit(supplier_bob: User) -> None:
    with pytest.raises(ValidationError) as exc:
        user_role_set(user=supplier_bob, role="lead")
    assert _messages(exc) == {"role": [services.ROLE_NEEDS_BUYER]}
    supplier_bob.refresh_from_db()
    assert supplier_bob.role == "supplier"
    assert supplier_bob.is_staff is False


def test_it_stores_only_the_hash_and_a_prefix_of_a_token(officer_alice: User) -> None:
    token, raw = api_token_create(user=officer_alice, name="  Contracts system ")
    assert raw.startswith("sv_")
    assert len(raw) == 46  # "sv_" and 43 URL-safe characters for 32 random bytes
    assert token.name == "Contracts system"
    assert token.key_prefix == raw[:11]
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert raw not in [str(value) for value in stored.values()]


def test_it_makes_a_different_secret_every_time(officer_alice: User) -> None:
    _, first = api_token_create(user=officer_alice, name="One")
    _, second = api_token_create(user=officer_alice, name="Two")
    assert first != second


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", services.TOKEN_NAME_REQUIRED),
        ("   ", services.TOKEN_NAME_REQUIRED),
        ("x" * 101, services.TOKEN_NAME_TOO_LONG),
    ],
)
def test_it_refuses_a_token_without_a_good_name(
    officer_alice: User, name: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        api_token_create(user=officer_alice, name=name)
    assert _messages(exc) == {"name": [message]}
    assert ApiToken.objects.count() == 0


def test_it_refuses_a_token_for_a_deactivated_user(officer_alice: User) -> None:
    officer_alice.is_active = False
    officer_alice.save()
    with pytest.raises(ValidationError) as exc:
        api_token_create(user=officer_alice, name="Old system")
    assert _messages(exc) == {"user": [services.TOKEN_USER_INACTIVE]}


def test_it_revokes_a_token_once(officer_alice: User) -> None:
    token, _ = api_token_create(user=officer_alice, name="Old system")
    revoked = api_token_revoke(token=token, by=officer_alice)
    first_time = revoked.revoked_at
    assert first_time is not None
    again = api_token_revoke(token=token, by=officer_alice)
    assert again.revoked_at == first_time


def test_it_lets_a_platform_administrator_revoke_anyones_token(
    officer_alice: User, admin_ada: User
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Old system")
    assert api_token_revoke(token=token, by=admin_ada).revoked_at is not None


@pytest.mark.parametrize(
    "other", ["lead_lucy", "lead_bella", "evaluator_erin", "supplier_bob", "officer_olga"]
)
def test_it_refuses_to_revoke_someone_elses_token(
    officer_alice: User, other: str, request: pytest.FixtureRequest
) -> None:
    token, _ = api_token_create(user=officer_alice, name="Old system")
    with pytest.raises(PermissionDenied, match=services.TOKEN_REVOKE_NOT_ALLOWED):
        api_token_revoke(token=token, by=request.getfixturevalue(other))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_keeps_partner_users_in_partner_organisations(db: None) -> None:
    from socialvalue.accounts.services import ROLE_NEEDS_PARTNER, user_role_errors
    from socialvalue.accounts.tests.factories import OrganisationFactory

    partner = OrganisationFactory.create(name="Community Futures", kind=Organisation.Kind.PARTNER)
    supplier = OrganisationFactory.create(name="Some Supplier", kind=Organisation.Kind.SUPPLIER)
    assert user_role_errors(role=User.Role.PARTNER, organisation=partner, service_area=None) == {}
    assert user_role_errors(role=User.Role.PARTNER, organisation=supplier, service_area=None) == {
        "role": ROLE_NEEDS_PARTNER
    }
