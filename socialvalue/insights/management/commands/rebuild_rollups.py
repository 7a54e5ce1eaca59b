"""Recompute the delivered rollup from the return lines (after a bulk load, or to check)."""

from typing import Any

from django.core.management.base import BaseCommand

from socialvalue.insights import rollups


class Command(BaseCommand):
    help = "Recompute the dashboard's delivered rollup from the verified return lines."

    def handle(self, *args: Any, **options: Any) -> None:
        cells = rollups.rebuild()
        self.stdout.write(f"Rebuilt the delivered rollup: {cells} cells.")
