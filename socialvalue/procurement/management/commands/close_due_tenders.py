"""Close every open tender whose deadline has passed. Safe to run from cron at any interval."""

from typing import Any

from django.core.management.base import BaseCommand

from socialvalue.procurement.services import tenders_close_due


class Command(BaseCommand):
    help = "Close every open tender whose deadline has passed, so its offers can be evaluated."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = tenders_close_due()
        noun = "tender" if len(closed) == 1 else "tenders"
        self.stdout.write(f"Closed {len(closed)} {noun} whose deadline had passed.")
