"""The calculator on 10,000 commitments against a plain-Python loop over the same data.

Both sides compute the same figures from the same 10,000 (measure, quantity) pairs: each
line's value, the total, the total per theme and the Social Value Add %. The baseline is the
loop anyone would write by hand with dicts and Decimals; the measured side is
``framework.calculator.calculate`` as the page, the API and imports use it.
"""

import json
import random
from decimal import Decimal

from benchmarks.common import BenchResult, interleaved_best_ms
from socialvalue.framework.calculator import CommitmentInput, MeasureInfo, calculate
from socialvalue.framework.services import DEFAULT_DATA_FILE

COMMITMENTS = 10_000
TARGET_RATIO = 1.5


def _measures() -> dict[str, MeasureInfo]:
    doc = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    measures: dict[str, MeasureInfo] = {}
    order = 0
    for theme_order, theme in enumerate(doc["themes"], start=1):
        for outcome in theme["outcomes"]:
            for m in outcome["measures"]:
                order += 1
                proxy = m["proxy_value"]
                measures[m["code"]] = MeasureInfo(
                    code=m["code"],
                    description=m["description"],
                    unit=m["unit"],
                    proxy_value=None if proxy is None else Decimal(proxy),
                    theme=theme["name"],
                    theme_order=theme_order,
                    order=order,
                )
    return measures


def run() -> list[BenchResult]:
    measures = _measures()
    rng = random.Random(20241)
    codes = list(measures)
    pairs = [
        (rng.choice(codes), Decimal(rng.randint(0, 5_000_000)) / Decimal(1000))
        for _ in range(COMMITMENTS)
    ]
    commitments = [CommitmentInput(measure=code, quantity=qty) for code, qty in pairs]
    contract_value = Decimal("12500000.00")
    proxies = {code: info.proxy_value for code, info in measures.items()}
    theme_of = {code: info.theme for code, info in measures.items()}
    zero, hundred = Decimal(0), Decimal(100)

    def plain_loop() -> tuple[Decimal, dict[str, Decimal], Decimal]:
        total = zero
        by_theme: dict[str, Decimal] = {}
        values = []
        for code, quantity in pairs:
            if quantity < zero:
                raise ValueError(code)
            proxy = proxies[code]
            value = zero if proxy is None else quantity * proxy
            values.append(value)
            total += value
            theme = theme_of[code]
            by_theme[theme] = by_theme.get(theme, zero) + value
        return total, by_theme, total * hundred / contract_value

    def platform() -> object:
        return calculate(measures=measures, commitments=commitments, contract_value=contract_value)

    # Same answer first: the comparison is only fair if both compute the same figures.
    expected_total, expected_by_theme, _ = plain_loop()
    result = calculate(measures=measures, commitments=commitments, contract_value=contract_value)
    assert result.total_value == expected_total
    assert {t.theme: t.value for t in result.by_theme} == expected_by_theme

    value_ms, baseline_ms = interleaved_best_ms(platform, plain_loop, rounds=40)
    return [
        BenchResult(
            name="calculator_10k",
            value=value_ms,
            unit="ms",
            baseline=baseline_ms,
            target=TARGET_RATIO,
        )
    ]
