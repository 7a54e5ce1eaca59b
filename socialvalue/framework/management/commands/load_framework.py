"""``socialvalue load_framework FILE``: load a framework data file as a draft version."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.services import FrameworkFileError, framework_version_load_file

ERR_NO_FILE = "No such file: {path}."
ERR_NOT_UTF8 = "The file {path} is not UTF-8 text."
ERR_UNKNOWN_PREVIOUS = "There is no framework version with slug {slug} to follow."
ERR_REFUSED = "The file {path} was refused ({count} {problems}); nothing was saved."


class Command(BaseCommand):
    help = (
        "Load a framework data file (format socialvalue-framework/1) as a draft version. "
        "Loading again replaces the draft; a published or retired version is never replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the JSON data file.")
        parser.add_argument(
            "--previous",
            metavar="SLUG",
            help="The version this one follows, for the changes page "
            "(default: the newest published or retired version of the same framework).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(ERR_NO_FILE.format(path=path))
        previous = options["previous"]
        if previous and not FrameworkVersion.objects.filter(slug=previous).exists():
            raise CommandError(ERR_UNKNOWN_PREVIOUS.format(slug=previous))
        try:
            result = framework_version_load_file(path=path, previous_slug=previous)
        except UnicodeDecodeError as exc:
            raise CommandError(ERR_NOT_UTF8.format(path=path)) from exc
        except FrameworkFileError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            count = len(exc.messages)
            raise CommandError(
                ERR_REFUSED.format(
                    path=path, count=count, problems="problem" if count == 1 else "problems"
                )
            ) from exc
        verb = "Replaced" if result.replaced else "Loaded"
        self.stdout.write(
            f"{verb} draft {result.version.slug}: {result.themes} themes, "
            f"{result.outcomes} outcomes, {result.measures} measures."
        )
