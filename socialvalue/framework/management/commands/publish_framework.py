"""``socialvalue publish_framework SLUG``: publish a draft framework version."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import framework_version_publish

ERR_UNKNOWN_VERSION = "There is no framework version with slug {slug}."


class Command(BaseCommand):
    help = (
        "Publish a draft framework version. It can no longer be changed, and the version of "
        "the same framework published before it is retired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Slug of the draft version.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        version = FrameworkVersion.objects.filter(slug=slug).first()
        if version is None:
            raise CommandError(ERR_UNKNOWN_VERSION.format(slug=slug))
        replaced = list(
            FrameworkVersion.objects.filter(
                framework=version.framework, status=FrameworkVersion.Status.PUBLISHED
            ).values_list("slug", flat=True)
        )
        try:
            framework_version_publish(version=version)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        retired = f"; retired {', '.join(replaced)}" if replaced else ""
        self.stdout.write(f"Published {slug}{retired}.")
