"""``socialvalue framework_diff A B``: what changed between two framework versions."""

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.core.money import format_gbp_exact
from socialvalue.framework.models import FrameworkVersion
from socialvalue.framework.selectors import framework_versions_diff

ERR_UNKNOWN_VERSION = "There is no framework version with slug {slug}."
NO_PROXY = "no proxy value"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _proxy(value: Decimal | None) -> str:
    if value is None:
        return NO_PROXY
    # Sub-penny proxies are shown exactly, so a change below a penny is still visible.
    return format_gbp_exact(value)


class Command(BaseCommand):
    help = "List measures added, removed, with a changed proxy value or changed wording, A → B."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", metavar="A", help="Slug of the earlier version.")
        parser.add_argument("new", metavar="B", help="Slug of the later version.")

    def _version(self, slug: str) -> FrameworkVersion:
        version = FrameworkVersion.objects.filter(slug=slug).first()
        if version is None:
            raise CommandError(ERR_UNKNOWN_VERSION.format(slug=slug))
        return version

    def handle(self, *args: Any, **options: Any) -> None:
        old, new = self._version(options["old"]), self._version(options["new"])
        diff = framework_versions_diff(old, new)
        out = self.stdout
        out.write(f"Changes from {old.slug} to {new.slug}")
        if diff.added:
            out.write("Added measures:")
            for m in diff.added:
                out.write(f"  {m.code}: {m.description}")
        if diff.removed:
            out.write("Removed measures:")
            for m in diff.removed:
                out.write(f"  {m.code}: {m.description}")
        if diff.proxy_changed:
            out.write("Proxy values changed:")
            for m, before, after in diff.proxy_changed:
                out.write(f"  {m.code}: {_proxy(before)} → {_proxy(after)}")
        if diff.text_changed:
            out.write("Wording changed:")
            for m, fields in diff.text_changed:
                names = ", ".join(name.replace("_", " ") for name in fields)
                out.write(f"  {m.code}: {names}")
        out.write(
            f"{len(diff.added)} added, {len(diff.removed)} removed, "
            f"{_plural(len(diff.proxy_changed), 'proxy', 'proxies')} changed, "
            f"{_plural(len(diff.text_changed), 'wording change', 'wording changes')}."
        )
