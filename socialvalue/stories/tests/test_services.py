"""The case study workflow: every allowed move, and every refused one."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract
from socialvalue.framework.models import FrameworkVersion
from socialvalue.stories.images import image_prepare
from socialvalue.stories.models import CaseStudy
from socialvalue.stories.selectors import (
    ERR_NOT_AUTHOR,
    case_studies_published_between,
)
from socialvalue.stories.services import (
    ERR_ALT_REQUIRED,
    ERR_CONSENT,
    ERR_CONTRACT_NOT_YOURS,
    ERR_FIGURE_INCOMPLETE,
    ERR_NO_THEMES,
    ERR_NOT_EDITABLE,
    ERR_NOT_PUBLISHED,
    ERR_NOT_SUBMITTABLE,
    ERR_NOT_SUBMITTED,
    ERR_NOT_WITHDRAWABLE,
    ERR_NOT_YOUR_CASE_STUDY,
    ERR_RETURN_NOTE,
    ERR_TOO_MANY_FIGURES,
    ERR_UNKNOWN_THEME,
    ERR_UNPUBLISH_NOTE,
    ERR_YEAR_RANGE,
    case_study_publish,
    case_study_return,
    case_study_save,
    case_study_submit,
    case_study_unpublish,
    case_study_withdraw,
)
from socialvalue.stories.tests.conftest import (
    COMMUNITY,
    EMPLOYMENT,
    ENVIRONMENT,
    PENDLE,
    Maker,
    content,
    picture,
)

pytestmark = pytest.mark.django_db

Status = CaseStudy.Status
Move = tuple[Callable[..., CaseStudy], dict[str, Any], str]


def errors_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


# --- Writing ---------------------------------------------------------------------------------


def test_it_saves_a_draft_for_the_authors_organisation(
    toms: FrameworkVersion, supplier_bob: User
) -> None:
    case_study = case_study_save(user=supplier_bob, content=content())

    assert case_study.status == Status.DRAFT
    assert case_study.organisation == supplier_bob.organisation
    assert case_study.author == supplier_bob
    assert case_study.slug == "apprentices-on-the-a59"
    assert case_study.theme_slugs == [EMPLOYMENT]
    assert case_study.measure_codes == ["NT10"]
    assert [(f.label, f.value, f.unit) for f in case_study.figures.all()] == [
        ("Apprentices recruited", Decimal("6.00"), "")
    ]
    assert case_study.published_at is None
    assert case_study.history.count() == 1


def test_it_adds_the_themes_of_the_chosen_measures_in_framework_order(
    toms: FrameworkVersion, supplier_bob: User
) -> None:
    case_study = case_study_save(
        user=supplier_bob,
        content=content(theme_slugs=[ENVIRONMENT], measure_codes=["NT29", "NT1"]),
    )
    assert case_study.theme_slugs == [EMPLOYMENT, COMMUNITY, ENVIRONMENT]
    assert case_study.measure_codes == ["NT1", "NT29"]


def test_it_gives_each_case_study_its_own_address(
    toms: FrameworkVersion, supplier_bob: User, supplier_carol: User
) -> None:
    first = case_study_save(user=supplier_bob, content=content(title="Review"))
    second = case_study_save(user=supplier_carol, content=content(title="Review"))
    assert (first.slug, second.slug) == ("review-2", "review-3")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"theme_slugs": [], "measure_codes": []}, "theme_slugs", ERR_NO_THEMES),
        (
            {"theme_slugs": ["space-travel"]},
            "theme_slugs",
            ERR_UNKNOWN_THEME.format(slug="space-travel"),
        ),
        ({"year": 1999}, "year", ERR_YEAR_RANGE.format(first=2000, last=2026)),
        ({"year": 2027}, "year", ERR_YEAR_RANGE.format(first=2000, last=2026)),
        (
            {"figures": [{"label": "", "value": Decimal(3), "unit": "hours"}]},
            "figures",
            ERR_FIGURE_INCOMPLETE.format(n=1),
        ),
        (
            {"figures": [{"label": f"Figure {n}", "value": Decimal(n)} for n in range(6)]},
            "figures",
            ERR_TOO_MANY_FIGURES,
        ),
    ],
)
def test_it_refuses_an_incomplete_case_study_and_saves_nothing(
    toms: FrameworkVersion,
    supplier_bob: User,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        case_study_save(
            user=supplier_bob,
            content=content(**overrides),
            today=date(2026, 11, 26),
        )
    assert errors_of(caught)[field] == [message]
    assert not CaseStudy.objects.exists()


def test_it_needs_alt_text_with_a_photograph(toms: FrameworkVersion, supplier_bob: User) -> None:
    with pytest.raises(ValidationError) as caught:
        case_study_save(
            user=supplier_bob, content=content(image_alt="  "), image=image_prepare(picture())
        )
    assert errors_of(caught) == {"image_alt": [ERR_ALT_REQUIRED]}
    assert not CaseStudy.objects.exists()


def test_it_stores_the_photograph_under_case_studies_with_a_name_of_its_own(
    bob_draft: CaseStudy,
) -> None:
    name = bob_draft.image.name
    assert name.startswith("case-studies/")
    assert name.endswith(".png")
    assert "photo" not in name
    assert (bob_draft.image_width, bob_draft.image_height) == (64, 36)


def test_it_replaces_and_removes_the_photograph(
    bob_draft: CaseStudy, supplier_bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    storage = bob_draft.image.storage
    first = bob_draft.image.name
    with django_capture_on_commit_callbacks(execute=True):
        replaced = case_study_save(
            user=supplier_bob,
            case_study=bob_draft,
            content=content(image_alt="A new photograph"),
            image=image_prepare(picture("JPEG")),
        )
    assert replaced.image.name.endswith(".jpg")
    assert not storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        removed = case_study_save(
            user=supplier_bob, case_study=replaced, content=content(), remove_image=True
        )
    assert not removed.image
    assert removed.image_alt == ""
    assert not storage.exists(replaced.image.name)


def test_it_lets_a_supplier_choose_only_its_own_contracts(
    supplier_bob: User, bobs_contract: Contract, carols_contract: Contract
) -> None:
    mine = case_study_save(user=supplier_bob, content=content(contract=bobs_contract))
    assert mine.contract == bobs_contract

    with pytest.raises(ValidationError) as caught:
        case_study_save(user=supplier_bob, content=content(contract=carols_contract))
    assert errors_of(caught) == {"contract": [ERR_CONTRACT_NOT_YOURS]}


def test_it_lets_an_officer_choose_the_contracts_their_organisation_let(
    officer_alice: User, officer_olga: User, bobs_contract: Contract
) -> None:
    ours = case_study_save(user=officer_alice, content=content(contract=bobs_contract))
    assert ours.contract == bobs_contract
    assert ours.organisation == officer_alice.organisation

    with pytest.raises(ValidationError) as caught:
        case_study_save(user=officer_olga, content=content(contract=bobs_contract))
    assert errors_of(caught) == {"contract": [ERR_CONTRACT_NOT_YOURS]}


def test_it_keeps_partner_users_from_writing_case_studies(
    toms: FrameworkVersion, partner_priya: User
) -> None:
    with pytest.raises(PermissionDenied, match=ERR_NOT_AUTHOR):
        case_study_save(user=partner_priya, content=content())


def test_it_keeps_another_organisation_from_changing_a_draft(
    bob_draft: CaseStudy, supplier_carol: User
) -> None:
    with pytest.raises(PermissionDenied, match=ERR_NOT_YOUR_CASE_STUDY):
        case_study_save(user=supplier_carol, case_study=bob_draft, content=content(title="Mine"))
    with pytest.raises(PermissionDenied, match=ERR_NOT_YOUR_CASE_STUDY):
        case_study_submit(case_study=bob_draft, user=supplier_carol)
    bob_draft.refresh_from_db()
    assert bob_draft.status == Status.DRAFT
    assert bob_draft.title == "Gully crews mentor Preston school leavers"


# --- Moving through the workflow -------------------------------------------------------------


def test_it_goes_from_draft_to_submitted_to_published(
    bob_draft: CaseStudy, supplier_bob: User, lead_lucy: User
) -> None:
    submitted = case_study_submit(case_study=bob_draft, user=supplier_bob)
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None

    published = case_study_publish(case_study=submitted, reviewer=lead_lucy, note="Lovely.")
    assert published.status == Status.PUBLISHED
    assert published.published_at is not None
    assert published.reviewed_by == lead_lucy
    assert published.review_note == "Lovely."
    assert [h.status for h in published.history.order_by("history_date")] == [
        "draft",
        "submitted",
        "published",
    ]


def test_it_lets_the_author_withdraw_from_review(
    bob_submitted: CaseStudy, supplier_bob: User
) -> None:
    withdrawn = case_study_withdraw(case_study=bob_submitted, user=supplier_bob)
    assert withdrawn.status == Status.DRAFT


def test_it_returns_with_a_note_and_lets_the_author_change_and_send_again(
    bob_submitted: CaseStudy, supplier_bob: User, lead_lucy: User
) -> None:
    returned = case_study_return(
        case_study=bob_submitted, reviewer=lead_lucy, note="Add the number of apprentices."
    )
    assert returned.status == Status.RETURNED
    assert returned.review_note == "Add the number of apprentices."

    changed = case_study_save(
        user=supplier_bob,
        case_study=returned,
        content=content(title="Six apprentices", image_alt="Two apprentices"),
    )
    assert changed.status == Status.RETURNED
    resent = case_study_submit(case_study=changed, user=supplier_bob)
    assert resent.status == Status.SUBMITTED


def test_it_unpublishes_back_to_returned_and_stops_counting_it(
    bob_published: CaseStudy, lead_lucy: User
) -> None:
    unpublished = case_study_unpublish(
        case_study=bob_published, reviewer=lead_lucy, note="Consent was withdrawn."
    )
    assert unpublished.status == Status.RETURNED
    assert unpublished.published_at is None
    assert unpublished.review_note == "Consent was withdrawn."


def test_it_needs_consent_before_sending_for_review(
    toms: FrameworkVersion, supplier_bob: User
) -> None:
    draft = case_study_save(user=supplier_bob, content=content(consent_to_publish=False))
    with pytest.raises(ValidationError) as caught:
        case_study_submit(case_study=draft, user=supplier_bob)
    assert errors_of(caught) == {"consent_to_publish": [ERR_CONSENT]}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_needs_a_note_to_return_or_unpublish(
    bob_submitted: CaseStudy, lead_lucy: User, make_published: Maker, supplier_carol: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        case_study_return(case_study=bob_submitted, reviewer=lead_lucy, note=" ")
    assert errors_of(caught) == {"note": [ERR_RETURN_NOTE]}
    published = make_published("Carol's story", supplier_carol)
    with pytest.raises(ValidationError) as caught:
        case_study_unpublish(case_study=published, reviewer=lead_lucy, note="")
    assert errors_of(caught) == {"note": [ERR_UNPUBLISH_NOTE]}
    bob_submitted.refresh_from_db()
    published.refresh_from_db()
    assert (bob_submitted.status, published.status) == (Status.SUBMITTED, Status.PUBLISHED)


@pytest.mark.parametrize("who", ["officer_alice", "evaluator_erin", "supplier_bob"])
def test_it_lets_only_the_lead_decide(
    bob_submitted: CaseStudy, request: pytest.FixtureRequest, who: str
) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        case_study_publish(case_study=bob_submitted, reviewer=user)
    with pytest.raises(PermissionDenied):
        case_study_return(case_study=bob_submitted, reviewer=user, note="No.")
    bob_submitted.refresh_from_db()
    assert bob_submitted.status == Status.SUBMITTED


def test_it_refuses_moves_the_workflow_does_not_allow(
    bob_draft: CaseStudy, supplier_bob: User, lead_lucy: User
) -> None:
    # A draft cannot be published, returned, unpublished or withdrawn.
    refused: list[Move] = [
        (case_study_publish, {"reviewer": lead_lucy}, ERR_NOT_SUBMITTED.format(status="draft")),
        (
            case_study_return,
            {"reviewer": lead_lucy, "note": "x"},
            ERR_NOT_SUBMITTED.format(status="draft"),
        ),
        (
            case_study_unpublish,
            {"reviewer": lead_lucy, "note": "x"},
            ERR_NOT_PUBLISHED.format(status="draft"),
        ),
        (case_study_withdraw, {"user": supplier_bob}, ERR_NOT_WITHDRAWABLE.format(status="draft")),
    ]
    for service, kwargs, message in refused:
        with pytest.raises(ValidationError) as caught, transaction.atomic():
            service(case_study=bob_draft, **kwargs)
        assert caught.value.messages == [message]

    submitted = case_study_submit(case_study=bob_draft, user=supplier_bob)
    waiting = "waiting for review"
    refused = [
        (case_study_submit, {"user": supplier_bob}, ERR_NOT_SUBMITTABLE.format(status=waiting)),
        (
            case_study_unpublish,
            {"reviewer": lead_lucy, "note": "x"},
            ERR_NOT_PUBLISHED.format(status=waiting),
        ),
    ]
    for service, kwargs, message in refused:
        with pytest.raises(ValidationError) as caught, transaction.atomic():
            service(case_study=submitted, **kwargs)
        assert caught.value.messages == [message]
    with pytest.raises(ValidationError) as caught:
        case_study_save(user=supplier_bob, case_study=submitted, content=content())
    assert caught.value.messages == [ERR_NOT_EDITABLE.format(status=waiting)]

    published = case_study_publish(case_study=submitted, reviewer=lead_lucy)
    refused = [
        (case_study_submit, {"user": supplier_bob}, ERR_NOT_SUBMITTABLE.format(status="published")),
        (case_study_publish, {"reviewer": lead_lucy}, ERR_NOT_SUBMITTED.format(status="published")),
        (
            case_study_return,
            {"reviewer": lead_lucy, "note": "x"},
            ERR_NOT_SUBMITTED.format(status="published"),
        ),
        (
            case_study_withdraw,
            {"user": supplier_bob},
            ERR_NOT_WITHDRAWABLE.format(status="published"),
        ),
    ]
    for service, kwargs, message in refused:
        with pytest.raises(ValidationError) as caught, transaction.atomic():
            service(case_study=published, **kwargs)
        assert caught.value.messages == [message]
    with pytest.raises(ValidationError) as caught:
        case_study_save(user=supplier_bob, case_study=published, content=content())
    assert caught.value.messages == [ERR_NOT_EDITABLE.format(status="published")]
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_it_counts_case_studies_published_in_a_quarter(
    make_published: Maker, supplier_bob: User, supplier_carol: User, lead_lucy: User
) -> None:
    london = timezone.get_current_timezone()
    in_q2 = make_published("In July", supplier_bob, district=PENDLE)
    CaseStudy.objects.filter(pk=in_q2.pk).update(
        published_at=datetime(2025, 7, 1, 0, 0, tzinfo=london)
    )
    in_q1 = make_published("In June", supplier_carol)
    CaseStudy.objects.filter(pk=in_q1.pk).update(
        published_at=datetime(2025, 6, 30, 23, 59, tzinfo=london)
    )
    unpublished = make_published("Taken down", supplier_carol)
    CaseStudy.objects.filter(pk=unpublished.pk).update(
        published_at=datetime(2025, 8, 1, tzinfo=london)
    )
    unpublished.refresh_from_db()
    case_study_unpublish(case_study=unpublished, reviewer=lead_lucy, note="Consent withdrawn.")

    q2 = case_studies_published_between(
        datetime(2025, 7, 1, tzinfo=london), datetime(2025, 10, 1, tzinfo=london)
    )
    assert [cs.title for cs in q2] == ["In July"]
