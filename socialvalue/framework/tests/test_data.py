"""The shipped Lancashire TOMs match the strategy as printed."""

from decimal import Decimal

import pytest

from socialvalue.framework.models import FrameworkVersion, Measure, Theme

# Code → proxy value, copied from the strategy's TOMs tables ("£31,285.00" → "31285.00").
SEED_PROXIES = [
    ("NT1", "31285.00"),
    ("NT3", "20429.00"),
    ("NT3d", "20496.00"),
    ("NT4", "15382.90"),
    ("NT4a", "15382.90"),
    ("NT76", "2899.00"),
    ("NT5", "24269.00"),
    ("NT6", "16605.00"),
    ("NT6a", "16605.00"),
    ("NT8", "16.93"),
    ("NT9", "317.82"),
    ("NT10", "251.79"),
    ("NT9a", "317.82"),
    ("NT10a", "251.79"),
    ("NT11", "105.58"),
    ("NT12", "194.50"),
    ("NT13", "194.50"),
    ("NT50", "1.00"),
    ("NT14", "0.12"),
    ("NT15", "101.00"),
    ("NT17", "16.93"),
    ("NT18", "1.00"),
    ("NT19", "1.00"),
    ("NT20", "130.29"),
    ("NT21", "101.00"),
    ("NT40", "1.00"),
    ("NT41", None),
    ("NT43", "1.00"),
    ("NT51", "1.00"),
    ("NT26", "1.00"),
    ("NT27", "1.00"),
    ("NT28", "1.00"),
    ("NT29", "1.00"),
    ("NT52", "1.00"),
    ("NT31", "244.63"),
    ("NT82", "244.63"),
    ("NT32", "0.06"),
    ("NT86", "16.93"),
    ("NT85", "16.93"),
    ("NT87", "1.00"),
    ("NT72", "1.00"),
    ("NT88", "158.02"),
    ("NT53", "1.00"),
]

SEED_UNITS = [
    ("NT1", "Number of people (FTE)"),
    ("NT8", "Number of staff hours"),
    ("NT11", "Number of weeks"),
    ("NT14", "Per £ spent"),
    ("NT15", "Per expert staff hours"),
    ("NT21", "Number of hours (total session duration) *number attendees"),
    ("NT40", "Per £ invested including staff time"),
    ("NT41", "%"),
    ("NT43", "£ invested including staff time"),
    ("NT50", "£ invested inc. time, materials, equipment etc"),
    ("NT29", "Number of staff volunteering hours"),
    ("NT31", "Per tCO2e"),
    ("NT32", "Per mile saved"),
    ("NT87", "Per £ invested"),
    ("NT88", "Per kg"),
]


def test_it_has_the_four_lancashire_themes_in_order(toms: FrameworkVersion) -> None:
    names = list(
        Theme.objects.filter(version=toms).order_by("order").values_list("name", flat=True)
    )
    assert names == [
        "Employment and skills",
        "Economic prosperity",
        "Community building: health & wellbeing",
        "Environment sustainability",
    ]


def test_it_has_exactly_43_measures(toms: FrameworkVersion) -> None:
    assert Measure.objects.filter(version=toms).count() == 43


def test_it_pins_every_measure_of_the_seed() -> None:
    assert len(SEED_PROXIES) == 43
    assert len({code for code, _ in SEED_PROXIES}) == 43


@pytest.mark.parametrize(("code", "proxy"), SEED_PROXIES)
def test_it_has_the_proxy_value_printed_in_the_strategy(
    toms: FrameworkVersion, code: str, proxy: str | None
) -> None:
    measure = Measure.objects.get(version=toms, code=code)
    if proxy is None:
        assert measure.proxy_value is None
    else:
        assert measure.proxy_value == Decimal(proxy)


@pytest.mark.parametrize(("code", "unit"), SEED_UNITS)
def test_it_has_the_unit_printed_in_the_strategy(
    toms: FrameworkVersion, code: str, unit: str
) -> None:
    assert Measure.objects.get(version=toms, code=code).unit == unit


def test_it_keeps_the_measures_in_the_order_of_the_strategy(toms: FrameworkVersion) -> None:
    codes = list(
        Measure.objects.filter(version=toms).order_by("order").values_list("code", flat=True)
    )
    assert codes == [code for code, _ in SEED_PROXIES]


def test_it_says_what_evidence_every_measure_needs(toms: FrameworkVersion) -> None:
    empty = [
        m.code for m in Measure.objects.filter(version=toms) if not m.evidence_required.strip()
    ]
    assert empty == []


def test_it_gives_every_measure_a_value_type(toms: FrameworkVersion) -> None:
    types = set(Measure.objects.filter(version=toms).values_list("value_type", flat=True))
    assert types <= {"economic", "social", "environmental"}
    assert Measure.objects.get(version=toms, code="NT31").value_type == "environmental"


def test_it_puts_measures_under_their_printed_outcomes(toms: FrameworkVersion) -> None:
    assert Measure.objects.get(version=toms, code="NT4").outcome.name == (
        "More opportunities for disadvantaged people"
    )
    assert Measure.objects.get(version=toms, code="NT41").outcome.name == "Reducing inequalities"
    assert Measure.objects.get(version=toms, code="NT88").theme.name == (
        "Environment sustainability"
    )


def test_it_publishes_the_shipped_version_with_its_attribution(toms: FrameworkVersion) -> None:
    assert toms.status == FrameworkVersion.Status.PUBLISHED
    assert toms.published_at is not None
    assert "Social Value Portal" in toms.attribution
    assert "CC BY-NC-ND 4.0" in toms.attribution
