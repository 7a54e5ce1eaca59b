from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.framework.services import framework_default_ensure


class Command(BaseCommand):
    help = (
        "Set up the platform: migrate the database and load the Lancashire TOMs. With --demo, "
        "also load a demonstration dataset and print its logins. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Load the demonstration data.")
        parser.add_argument(
            "--allow-demo-in-production",
            action="store_true",
            help="Load demo data even with DEBUG off (for a public demonstration site).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"] and not settings.DEBUG and not options["allow_demo_in_production"]:
            raise CommandError(
                "Refusing to load demo users (with a published password) while DEBUG is off. "
                "Use --allow-demo-in-production if this really is a demonstration site."
            )
        call_command("migrate", interactive=False, verbosity=0)
        loaded = framework_default_ensure()
        framework_note = (
            f"loaded {loaded.version.slug} ({loaded.measures} measures)"
            if loaded
            else "framework already loaded"
        )
        if not options["demo"]:
            self.stdout.write(f"Bootstrap complete: database migrated, {framework_note}.")
            return
        from socialvalue.core.demo import DEMO_PASSWORD, demo_load

        logins = demo_load()
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role} — {login.organisation}")
        self.stdout.write("")
        self.stdout.write(
            f"Bootstrap complete: database migrated, {framework_note}, "
            f"demo data ready with {len(logins)} users."
        )
