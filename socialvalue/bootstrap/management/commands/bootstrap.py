"""``socialvalue bootstrap [--demo]``: migrate, load the framework and local needs, and the demo."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.framework.services import framework_default_ensure
from socialvalue.needs.data_files import DataFileError
from socialvalue.needs.services import needs_data_load
from socialvalue.site.services import page_policy_ensure


class Command(BaseCommand):
    help = (
        "Set up the platform: migrate the database, load the Lancashire TOMs and the "
        "local-needs data. With --demo, also load a demonstration dataset and print its "
        "logins. Safe to run again."
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
        call_command("createcachetable", verbosity=0)
        loaded = framework_default_ensure()
        page_policy_ensure()  # the plain-English policy page, published once
        framework_note = (
            f"loaded {loaded.version.slug} ({loaded.measures} measures)"
            if loaded
            else "framework already loaded"
        )
        try:
            needs = needs_data_load()
        except DataFileError as exc:
            raise CommandError("The local-needs data was not loaded:\n" + str(exc)) from exc
        needs_note = (
            f"loaded local-needs data ({needs.district_count} districts, {needs.lsoa_count} LSOAs)"
            if needs.loaded
            else "local-needs data already loaded"
        )
        if not options["demo"]:
            self.stdout.write(
                f"Bootstrap complete: database migrated, {framework_note}, {needs_note}."
            )
            return
        from socialvalue.bootstrap.demo import DEMO_PASSWORD, demo_load

        logins = demo_load()
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.email) for login in logins)
        for login in logins:
            where = f" — {login.organisation}" if login.organisation else ""
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role}{where}")
        self.stdout.write("")
        self.stdout.write(
            f"Bootstrap complete: database migrated, {framework_note}, {needs_note}, "
            f"demo data ready with {len(logins)} users."
        )
