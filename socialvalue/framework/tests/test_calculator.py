"""The pure calculator: exact values, theme sums, SV Add %, refusals, reading input."""

import time
from decimal import Decimal

import pytest

from socialvalue.core.money import exact_money_text, round_2dp, round_money
from socialvalue.framework.calculator import (
    CALCULATOR_MONEY,
    CALCULATOR_QUANTITY,
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    UNKNOWN_MEASURE,
    AmountError,
    CalculationError,
    CommitmentInput,
    MeasureInfo,
    ThemeValue,
    calculate,
    measure_infos_for_version,
    parse_contract_value,
    parse_quantity,
)
from socialvalue.framework.models import FrameworkVersion

EMPLOYMENT = "Employment and skills"
PROSPERITY = "Economic prosperity"
COMMUNITY = "Community building: health & wellbeing"
ENVIRONMENT = "Environment sustainability"

# A few Lancashire TOMs measures with the proxy values the strategy prints.
MEASURES = {
    m.code: m
    for m in [
        MeasureInfo(
            "NT1",
            "Local FTE employees",
            "Number of people (FTE)",
            Decimal("31285.00"),
            EMPLOYMENT,
            1,
            1,
        ),
        MeasureInfo(
            "NT4",
            "Long-term unemployed FTE",
            "Number of people (FTE)",
            Decimal("15382.90"),
            EMPLOYMENT,
            1,
            4,
        ),
        MeasureInfo("NT14", "Spend with VCSEs", "Per £ spent", Decimal("0.12"), PROSPERITY, 2, 19),
        MeasureInfo(
            "NT18", "Local supply chain spend", "Per £ spent", Decimal("1.00"), PROSPERITY, 2, 22
        ),
        MeasureInfo("NT41", "Staff paid the real Living Wage", "%", None, PROSPERITY, 2, 27),
        MeasureInfo(
            "NT29",
            "Community volunteering hours",
            "Number of staff volunteering hours",
            Decimal("1.00"),
            COMMUNITY,
            3,
            33,
        ),
        MeasureInfo("NT31", "CO2e savings", "Per tCO2e", Decimal("244.63"), ENVIRONMENT, 4, 35),
        MeasureInfo(
            "NT32", "Car miles saved", "Per mile saved", Decimal("0.06"), ENVIRONMENT, 4, 37
        ),
    ]
}


def run(*lines: tuple[str, str], contract_value: str | None = None):
    return calculate(
        measures=MEASURES,
        commitments=[CommitmentInput(code, Decimal(q)) for code, q in lines],
        contract_value=None if contract_value is None else Decimal(contract_value),
        framework="lancashire-toms-2024",
    )


def test_it_values_fractional_ftes_exactly():
    result = run(("NT1", "2.5"), ("NT4", "0.5"))

    assert result.values == [Decimal("78212.500"), Decimal("7691.450")]
    assert result.total_value == Decimal("85903.95")


def test_it_values_large_quantities_without_rounding():
    result = run(("NT18", "250000000"), ("NT14", "123456789.123456"))

    assert result.values == [Decimal("250000000.00"), Decimal("14814814.69481472")]
    assert result.total_value == Decimal("264814814.69481472")
    assert round_money(result.values[1]) == Decimal("14814814.69")


def test_it_stays_exact_beyond_28_significant_digits():
    measures = {
        "X1": MeasureInfo("X1", "Test measure", "unit", Decimal("1.00000001"), "Theme", 1, 1)
    }

    result = calculate(
        measures=measures,
        commitments=[CommitmentInput("X1", Decimal("123456789012345.678901"))],
        contract_value=None,
    )

    # 123456789012345.678901 + 1234567.89012345678901: 29 significant digits.
    assert result.total_value == Decimal("123456790246913.56902445678901")


def test_it_rounds_only_the_exact_total():
    # Three lines of 0.25 car miles at £0.06 are worth exactly £0.015 each. Rounded one by
    # one they would be 2p each (6p in all); the exact total is 4.5p, which rounds to 5p.
    result = run(("NT32", "0.25"), ("NT32", "0.25"), ("NT32", "0.25"))

    assert result.values == [Decimal("0.0150")] * 3
    assert [round_money(v) for v in result.values] == [Decimal("0.02")] * 3
    assert result.total_value == Decimal("0.045")
    assert round_money(result.total_value) == Decimal("0.05")


def test_it_lists_a_measure_without_proxy_and_counts_it_as_zero():
    result = run(("NT1", "1"), ("NT41", "95"))

    assert result.total_value == Decimal("31285.00")
    [unmonetised] = result.unmonetised
    assert unmonetised.code == "NT41"
    assert unmonetised.quantity == Decimal("95")
    assert unmonetised.value == 0
    assert unmonetised.proxy_value is None
    assert [line.code for line in result.lines] == ["NT1", "NT41"]


def test_it_sums_by_theme_in_framework_order():
    result = run(("NT31", "10"), ("NT41", "95"), ("NT1", "2.5"), ("NT14", "1000"), ("NT4", "0.5"))

    assert result.by_theme == (
        ThemeValue(EMPLOYMENT, Decimal("85903.95")),
        ThemeValue(PROSPERITY, Decimal("120.00")),
        ThemeValue(ENVIRONMENT, Decimal("2446.30")),
    )
    assert result.total_value == Decimal("88470.25")
    assert [line.index for line in result.lines] == [0, 1, 2, 3, 4]
    assert [line.code for line in result.lines] == ["NT31", "NT41", "NT1", "NT14", "NT4"]


def test_it_shows_a_theme_whose_lines_are_all_unmonetised_as_zero():
    result = run(("NT41", "100"))

    assert result.by_theme == (ThemeValue(PROSPERITY, Decimal(0)),)
    assert result.total_value == 0


def test_it_allows_zero_quantities():
    result = run(("NT1", "0"))

    assert result.total_value == 0
    assert result.by_theme == (ThemeValue(EMPLOYMENT, Decimal(0)),)


def test_it_values_no_commitments_at_zero():
    result = run(contract_value="1000000")

    assert result.total_value == 0
    assert result.by_theme == ()
    assert result.lines == []
    assert result.sv_add_percent == 0


def test_it_works_out_sv_add_percent():
    result = run(("NT1", "2.5"), contract_value="1000000")

    assert result.sv_add_percent == Decimal("7.82125")
    assert round_2dp(result.sv_add_percent) == Decimal("7.82")


def test_it_rounds_sv_add_half_up():
    result = run(("NT18", "7825"), contract_value="100000")

    assert result.sv_add_percent == Decimal("7.825")
    assert round_2dp(result.sv_add_percent) == Decimal("7.83")


def test_it_works_out_a_recurring_sv_add_percent():
    result = run(("NT18", "2"), contract_value="3")

    assert round_2dp(result.sv_add_percent) == Decimal("66.67")


@pytest.mark.parametrize("contract_value", [None, "0"])
def test_it_has_no_sv_add_without_a_contract_value(contract_value):
    result = run(("NT1", "1"), contract_value=contract_value)

    assert result.sv_add_percent is None


def test_it_refuses_a_negative_contract_value():
    with pytest.raises(CalculationError) as excinfo:
        run(("NT1", "1"), contract_value="-5")

    [problem] = excinfo.value.problems
    assert problem.field == "contract_value"


def test_it_names_every_unknown_code_with_its_line():
    with pytest.raises(CalculationError) as excinfo:
        run(("NT1", "1"), ("NT999", "1"), ("NT4", "1"), ("nt1", "2"))

    problems = excinfo.value.problems
    assert [(p.index, p.field, p.kind, p.code) for p in problems] == [
        (1, "measure", UNKNOWN_MEASURE, "NT999"),
        (3, "measure", UNKNOWN_MEASURE, "nt1"),
    ]
    assert problems[0].message == "Unknown measure code 'NT999' in lancashire-toms-2024."


def test_it_refuses_negative_quantities():
    with pytest.raises(CalculationError) as excinfo:
        run(("NT1", "1"), ("NT41", "-1"), ("NT4", "-0.5"))

    assert [(p.index, p.field, p.kind) for p in excinfo.value.problems] == [
        (1, "quantity", NEGATIVE),
        (2, "quantity", NEGATIVE),
    ]


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "sNaN"])
@pytest.mark.parametrize("code", ["NT1", "NT41"])
def test_it_refuses_quantities_that_are_not_finite(code, quantity):
    with pytest.raises(CalculationError) as excinfo:
        run(("NT4", "1"), (code, quantity))

    [problem] = excinfo.value.problems
    assert (problem.index, problem.field, problem.kind) == (1, "quantity", NOT_FINITE)


def test_it_calculates_10000_commitments_quickly():
    codes = list(MEASURES)
    commitments = [CommitmentInput(codes[i % len(codes)], Decimal(i) / 4) for i in range(10_000)]
    started = time.perf_counter()
    result = calculate(measures=MEASURES, commitments=commitments, contract_value=None)
    elapsed = time.perf_counter() - started

    assert len(result.values) == 10_000
    # A generous bound so the suite stays stable on a busy machine; `make bench` measures.
    assert elapsed < 0.5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2.5", Decimal("2.5")),
        (" 2.5 ", Decimal("2.5")),
        (0.1, Decimal("0.1")),
        (3, Decimal(3)),
        (Decimal("1.5"), Decimal("1.5")),
        ("1e3", Decimal("1000")),
        ("0", Decimal(0)),
        ("-0", Decimal(0)),
        ("2.500000000", Decimal("2.5")),
        ("999999999.999999", Decimal("999999999.999999")),
    ],
)
def test_it_reads_quantities(raw, expected):
    assert parse_quantity(raw) == expected


def test_it_reads_larger_quantities_and_values_for_the_calculator_only():
    # The calculator stores nothing: 15 digits before the point, where a bid holds 9.
    assert parse_quantity("999999999999999.999999", CALCULATOR_QUANTITY) == Decimal(
        "999999999999999.999999"
    )
    assert parse_contract_value("999999999999999.99", CALCULATOR_MONEY) == Decimal(
        "999999999999999.99"
    )
    with pytest.raises(AmountError):
        parse_quantity("999999999999999.999999")
    with pytest.raises(AmountError):
        parse_contract_value("999999999999999.99")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("abc", NOT_A_NUMBER),
        ("", NOT_A_NUMBER),
        ("1,000", NOT_A_NUMBER),
        ("1_000", NOT_A_NUMBER),
        ("١٢", NOT_A_NUMBER),
        (True, NOT_A_NUMBER),
        (None, NOT_A_NUMBER),
        ([1], NOT_A_NUMBER),
        ("NaN", NOT_FINITE),
        ("-Infinity", NOT_FINITE),
        (float("inf"), NOT_FINITE),
        (Decimal("NaN"), NOT_FINITE),
        ("-1", NEGATIVE),
        (-0.5, NEGATIVE),
        ("1000000000", TOO_LARGE),
        ("1e9", TOO_LARGE),
        ("1000000000000000", TOO_LARGE),
        ("1e99999999999999999999", TOO_LARGE),
        ("0.0000001", TOO_PRECISE),
    ],
)
def test_it_refuses_quantities_it_cannot_read(raw, kind):
    with pytest.raises(AmountError) as excinfo:
        parse_quantity(raw)

    assert excinfo.value.kind == kind


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("0", NOT_POSITIVE),
        ("-100", NOT_POSITIVE),
        ("100.001", TOO_PRECISE),
        ("x", NOT_A_NUMBER),
        ("1000000000000", TOO_LARGE),
    ],
)
def test_it_refuses_contract_values_it_cannot_use(raw, kind):
    with pytest.raises(AmountError) as excinfo:
        parse_contract_value(raw)

    assert excinfo.value.kind == kind


def test_it_shows_proxy_values_to_pence_unless_they_are_finer():
    assert exact_money_text(Decimal("31285.0000")) == "31285.00"
    assert exact_money_text(Decimal("0.1234")) == "0.1234"
    assert exact_money_text(Decimal("0.1200")) == "0.12"


def test_it_reads_the_measures_of_a_version_in_one_query(
    toms: FrameworkVersion, django_assert_num_queries
):
    with django_assert_num_queries(1):
        measures = measure_infos_for_version(toms)

    assert len(measures) == 43
    assert list(measures)[:3] == ["NT1", "NT3", "NT3d"]
    assert measures["NT1"] == MeasureInfo(
        "NT1",
        measures["NT1"].description,
        "Number of people (FTE)",
        Decimal("31285.00"),
        EMPLOYMENT,
        1,
        1,
    )
    assert measures["NT41"].proxy_value is None
    assert measures["NT32"].proxy_value == Decimal("0.06")
    assert measures["NT53"].theme == ENVIRONMENT
