"""Email suppliers whose quarterly return is due soon or overdue, once per stage.

Safe to run from cron at any interval (daily is enough): see ``contracts/reminders.py``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.contracts.reminders import day_argument, days_argument, reminders_send


class Command(BaseCommand):
    help = (
        "Open this quarter's returns, then remind suppliers whose return is due within N days "
        "or overdue (each reminder once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=day_argument,
            help="Act as if today were this date (YYYY-MM-DD). Default: today.",
        )
        parser.add_argument(
            "--days",
            type=days_argument,
            help="Remind when the return is due within this many days. "
            "Default: the reporting settings' first reminder.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reminders_send(today=options["today"], days=options["days"])
        self.stdout.write(summary.line())
        if summary.failed:
            # A non-zero exit lets cron (or the timer) report it; the next run tries again.
            raise CommandError(
                f"{summary.failed} reminder(s) could not be sent; the next run will try again."
            )
