"""The benchmarks (``make bench``) still import: a module moved in the code fails here, not
only when somebody next measures."""

import importlib
import pkgutil
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
MODULES = sorted(info.name for info in pkgutil.iter_modules([str(BENCHMARKS)]))


def test_the_benchmarks_folder_has_benchmarks():
    assert "bench_scoring" in MODULES
    assert "bench_dashboard" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_every_benchmark_module_imports(name):
    module = importlib.import_module(f"benchmarks.{name}")
    if name.startswith("bench_"):
        assert callable(module.run)
