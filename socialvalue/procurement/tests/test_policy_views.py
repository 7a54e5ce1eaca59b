"""The social value lead's policy page: figures, quality profile and change history."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.models import Policy, QualityLevel
from socialvalue.procurement.services import (
    policy_for_organisation,
    policy_quality_levels_update,
    policy_settings_update,
    policy_update,
)

ClientAs = Callable[[User | None], Client]
URL = "/settings/social-value-policy/"


@pytest.fixture
def lucy(client_as: ClientAs, lead_lucy: User) -> Client:
    return client_as(lead_lucy)


def _form(client: Client, **fields: str) -> dict[str, Any]:
    """The page's form as it is shown, with some fields changed."""
    form = client.get(URL).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(fields)
    return {k: "" if v is None else str(v) for k, v in data.items()}


def test_it_shows_the_strategy_defaults(lucy: Client) -> None:
    response = lucy.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert form["threshold"].value() == Decimal("100000.00")
    assert form["minimum_weighting"].value() == "10"
    assert form["default_quantitative_share"].value() == "50"
    assert form["default_deliverability_threshold"].value() == 2
    assert form["level_5_label"].value() == "Excellent"
    assert "Score 0" in html
    assert "Policy set up with the strategy’s defaults" in html


def test_it_saves_the_figures_and_records_who_changed_what(
    lucy: Client, council: Organisation
) -> None:
    data = _form(lucy, threshold="£150,000", minimum_weighting="12.5")
    response = lucy.post(URL, data, follow=True)
    html = response.content.decode()
    assert "The social value policy has been saved." in html
    policy = Policy.objects.get(organisation=council)
    assert policy.threshold == Decimal("150000.00")
    assert policy.minimum_weighting == Decimal("12.50")
    latest = policy.history.first()
    assert latest is not None
    assert latest.history_user.email == "lucy@lancashire.example"
    assert "Threshold: £100,000.00 → £150,000.00" in html
    assert "Minimum social value weighting: 10% → 12.5%" in html
    assert "Changed by Lucy Lead" in html


def test_it_saves_the_quality_profile_with_history(lucy: Client, council: Organisation) -> None:
    data = _form(lucy, level_3_label="Acceptable", level_3_descriptor="Meets the need.")
    html = lucy.post(URL, data, follow=True).content.decode()
    level = QualityLevel.objects.get(policy__organisation=council, score=3)
    assert (level.label, level.descriptor) == ("Acceptable", "Meets the need.")
    assert level.history.count() == 2
    assert "Score 3 label: “Satisfactory” → “Acceptable”" in html
    policy = Policy.objects.get(organisation=council)
    assert policy.history.count() == 1  # the figures did not change, so no new record


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"minimum_weighting": "101"},
            "minimum_weighting",
            "Minimum social value weighting must be between 0% and 100%",
        ),
        (
            {"default_quantitative_share": "-1"},
            "default_quantitative_share",
            "Default quantitative share must be between 0% and 100%",
        ),
        ({"threshold": "a lot"}, "threshold",
         "Threshold must be an amount of money, like 100000 or 100,000.00"),
        ({"threshold": ""}, "threshold", "Enter the threshold"),
        ({"threshold": "1000000000000"}, "threshold",
         "Threshold must be £999,999,999,999.99 or less"),
        (
            {"default_deliverability_threshold": "6"},
            "default_deliverability_threshold",
            "Deliverability threshold must be a whole number from 0 to 5",
        ),
        ({"level_2_label": " "}, "level_2_label", "Enter a label for score 2"),
        ({"level_4_descriptor": ""}, "level_4_descriptor", "Enter a descriptor for score 4"),
    ],
)  # fmt: skip
def test_it_explains_bad_input_and_saves_nothing(
    lucy: Client, council: Organisation, fields: dict[str, str], field: str, message: str
) -> None:
    data = _form(lucy, level_1_label="Changed too", **fields)
    response = lucy.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert "<title>Error: Social value policy" in html
    policy = Policy.objects.get(organisation=council)
    assert policy.minimum_weighting == Decimal("10.00")
    assert policy.history.count() == 1
    assert policy.quality_levels.get(score=1).label == "Serious reservations"


def test_it_rolls_back_the_figures_when_a_level_is_refused(council: Organisation) -> None:
    policy = policy_for_organisation(organisation=council)
    with pytest.raises(ValidationError) as exc:
        policy_settings_update(
            policy=policy,
            levels={0: ("", "Nothing")},
            minimum_weighting=Decimal("20"),
        )
    assert exc.value.message_dict == {"level_0_label": ["Enter a label for score 0."]}
    policy.refresh_from_db()
    assert policy.minimum_weighting == Decimal("10.00")


def test_it_saves_only_the_levels_that_change(council: Organisation) -> None:
    policy = policy_for_organisation(organisation=council)
    saved = policy_quality_levels_update(
        policy=policy,
        levels={
            0: ("Unacceptable or no response", policy.quality_levels.get(score=0).descriptor),
            5: ("Outstanding", "Beyond what was asked."),
        },
    )
    assert [level.score for level in saved] == [5]


def test_it_pages_the_history(lucy: Client, council: Organisation) -> None:
    policy = policy_for_organisation(organisation=council)
    for n in range(12):
        policy_update(policy=policy, minimum_weighting=Decimal(11 + n))
    # Spread the saves a minute apart, as if made one by one.
    records = sorted(policy.history.all(), key=lambda r: r.history_id)
    start = records[0].history_date
    for minutes, record in enumerate(records):
        record.history_date = start + timedelta(minutes=minutes)
        record.save()
    first = lucy.get(URL)
    assert first.context["changes"].paginator.count == 13  # set up, then 12 changes
    assert len(first.context["changes"]) == 10
    html = first.content.decode()
    assert "Minimum social value weighting: 21% → 22%" in html
    assert 'href="?page=2"' in html
    second = lucy.get(URL + "?page=2").content.decode()
    assert "Policy set up with the strategy’s defaults" in second
    assert "Minimum social value weighting: 10% → 11%" in second
