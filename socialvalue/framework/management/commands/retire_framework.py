"""``socialvalue retire_framework SLUG``: retire a published framework version."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import framework_version_retire

ERR_UNKNOWN_VERSION = "There is no framework version with slug {slug}."


class Command(BaseCommand):
    help = (
        "Retire a published framework version. It stays readable, with its dates, for the "
        "tenders and contracts that use it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Slug of the published version.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        version = FrameworkVersion.objects.filter(slug=slug).first()
        if version is None:
            raise CommandError(ERR_UNKNOWN_VERSION.format(slug=slug))
        try:
            version = framework_version_retire(version=version)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        retired_on = timezone.localtime(version.retired_at) if version.retired_at else None
        on = f" on {retired_on:%-d %B %Y}" if retired_on else ""
        self.stdout.write(f"Retired {slug}{on}.")
