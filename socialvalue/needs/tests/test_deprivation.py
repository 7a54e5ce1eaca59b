"""The "high to severe" rule and the domain registry, as plain functions."""

from decimal import Decimal

import pytest

from socialvalue.needs.deprivation import (
    decile_for_rank,
    high_to_severe_percent,
    is_high_to_severe,
    percent_1dp,
    share_band,
)
from socialvalue.needs.domains import DOMAINS, SUB_DOMAIN, grouped_domain_choices
from socialvalue.needs.palette import DECILE_COLOURS, legend_rows, share_label


def test_it_knows_the_sixteen_domains_by_their_data_file_prefixes() -> None:
    assert set(DOMAINS) == {
        "imd",
        "income",
        "employment",
        "education",
        "health",
        "crime",
        "barriers",
        "living_env",
        "idaci",
        "idaopi",
        "cyp",
        "adult_skills",
        "geog_barriers",
        "wider_barriers",
        "indoors",
        "outdoors",
    }
    assert DOMAINS["outdoors"].label == "Outdoors living environment sub-domain"
    assert DOMAINS["outdoors"].decile_column == "outdoors_decile"
    assert DOMAINS["outdoors"].rank_column == "outdoors_rank"


def test_it_gives_every_sub_domain_its_parent_domain() -> None:
    parents = {d.key: d.parent for d in DOMAINS.values() if d.kind == SUB_DOMAIN}
    assert parents == {
        "cyp": "education",
        "adult_skills": "education",
        "geog_barriers": "barriers",
        "wider_barriers": "barriers",
        "indoors": "living_env",
        "outdoors": "living_env",
    }
    assert all(d.description for d in DOMAINS.values())


def test_it_groups_the_choices_by_kind() -> None:
    groups = dict(grouped_domain_choices())
    assert list(groups) == ["Overall", "Domains", "Sub-domains", "Supplementary indices"]
    assert [key for key, _ in groups["Overall"]] == ["imd"]
    assert len(groups["Domains"]) == 7
    assert len(groups["Sub-domains"]) == 6
    assert [key for key, _ in groups["Supplementary indices"]] == ["idaci", "idaopi"]


@pytest.mark.parametrize(
    ("decile", "expected"), [(1, True), (2, True), (3, True), (4, False), (10, False)]
)
def test_it_counts_deciles_one_to_three_as_high_to_severe(decile: int, expected: bool) -> None:
    assert is_high_to_severe(decile) is expected


@pytest.mark.parametrize(
    ("count", "total", "shown"),
    [(41, 60, "68.3"), (34, 52, "65.4"), (43, 86, "50.0"), (918, 4497, "20.4"), (0, 7, "0.0")],
)
def test_it_shows_the_share_to_one_decimal_place(count: int, total: int, shown: str) -> None:
    assert percent_1dp(high_to_severe_percent(count, total)) == shown


def test_it_keeps_the_share_exact_until_shown() -> None:
    assert high_to_severe_percent(1, 8) == Decimal("12.5")
    assert high_to_severe_percent(41, 60) == Decimal(4100) / Decimal(60)


def test_it_rounds_half_up_when_shown() -> None:
    assert percent_1dp(Decimal("20.45")) == "20.5"
    assert percent_1dp(Decimal("20.449")) == "20.4"


def test_it_has_no_share_for_an_area_without_lsoas() -> None:
    assert high_to_severe_percent(0, 0) is None
    assert percent_1dp(None) == ""


@pytest.mark.parametrize(
    ("rank", "decile"), [(1, 1), (3284, 1), (3285, 2), (9853, 3), (9854, 4), (32844, 10)]
)
def test_it_works_out_the_decile_of_a_rank(rank: int, decile: int) -> None:
    assert decile_for_rank(rank) == decile


@pytest.mark.parametrize("rank", [0, 32845, -3])
def test_it_refuses_a_rank_outside_england(rank: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 32844"):
        decile_for_rank(rank)


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (Decimal("68.3"), 4),
        (Decimal("100"), 1),
        (Decimal("90"), 1),
        (Decimal("89.9"), 2),
        (Decimal("9.99"), 10),
        (Decimal("0"), 10),
        (None, None),
    ],
)
def test_it_bands_shares_like_deciles(percent: Decimal | None, band: int | None) -> None:
    assert share_band(percent) == band


def test_it_has_a_ten_colour_legend_darkest_for_the_most_deprived() -> None:
    rows = legend_rows()
    assert len(DECILE_COLOURS) == len(set(DECILE_COLOURS)) == 10
    assert rows[0].label == "1 – most deprived 10%"
    assert rows[0].colour == "#440154"
    assert rows[0].text_colour == "#ffffff"
    assert rows[9].label == "10 – least deprived 10%"
    assert rows[9].text_colour == "#0b0c0c"
    assert share_label(1) == "90% or more"
    assert share_label(4) == "60% to under 70%"
    assert share_label(10) == "under 10%"
