"""Open the quarterly returns of every supplier up to the current quarter. Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from socialvalue.contracts.reminders import day_argument
from socialvalue.contracts.returns import returns_open


class Command(BaseCommand):
    help = "Open (create) the return of every quarter up to the current one for every supplier."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=day_argument,
            help="Act as if today were this date (YYYY-MM-DD). Default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        opened = returns_open(options["today"])
        noun = "return" if opened == 1 else "returns"
        self.stdout.write(f"Opened {opened} {noun}.")
