"""Timing helpers and the BENCH line format shared by every benchmark."""

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BenchResult:
    name: str
    value: float
    unit: str
    baseline: float
    target: float
    # "lower" when a smaller ratio is better (times); "higher" when larger is better (rates).
    better: str = "lower"

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target if self.better == "lower" else self.ratio >= self.target

    def line(self) -> str:
        return (
            f"BENCH name={self.name} value={self.value:.4f} unit={self.unit} "
            f"baseline={self.baseline:.4f} ratio={self.ratio:.3f} target={self.target} "
            f"status={'ok' if self.ok else 'short'}"
        )


def best_time_ms(fn: Callable[[], object], *, repeat: int = 15, number: int = 1) -> float:
    """Best of ``repeat`` runs of ``number`` calls, in milliseconds per call.

    The best run is the least disturbed by the rest of the machine; both sides of a
    comparison are measured the same way, interleaved, in the same process.
    """
    gc.collect()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1000


def interleaved_best_ms(
    a: Callable[[], object], b: Callable[[], object], *, rounds: int = 15, number: int = 1
) -> tuple[float, float]:
    """Best times of ``a`` and ``b`` measured alternately, so drift affects both alike."""
    best_a = best_b = float("inf")
    for _ in range(rounds):
        best_a = min(best_a, best_time_ms(a, repeat=1, number=number))
        best_b = min(best_b, best_time_ms(b, repeat=1, number=number))
    return best_a, best_b
