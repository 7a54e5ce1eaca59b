"""Run every benchmark module (``bench_*.py``) and print one BENCH line each.

``python -m benchmarks [name ...]`` runs only the named benchmarks.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    wanted = set(argv)
    here = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        short = info.name.removeprefix("bench_")
        if wanted and short not in wanted:
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        for result in module.run():
            print(result.line(), flush=True)
    # A benchmark that falls short of its target is reported (status=short), not a crash.
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
