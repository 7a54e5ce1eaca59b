"""Reads for the public pages."""

from dataclasses import dataclass

from django.db.models import Count

from socialvalue.framework.models import FrameworkVersion, Theme
from socialvalue.framework.selectors import framework_version_current


@dataclass(frozen=True)
class ThemeSummary:
    name: str
    measure_count: int


@dataclass(frozen=True)
class FrameworkSummary:
    """The framework version in use, as the home page describes it."""

    version: FrameworkVersion
    themes: list[ThemeSummary]

    @property
    def measure_count(self) -> int:
        return sum(theme.measure_count for theme in self.themes)


def framework_summary() -> FrameworkSummary | None:
    """Themes and measure counts of the current framework version; None before one is published."""
    version = framework_version_current()
    if version is None:
        return None
    themes = (
        Theme.objects.filter(version=version)
        .annotate(measure_count=Count("measures"))
        .order_by("order", "name")
    )
    return FrameworkSummary(
        version=version,
        themes=[ThemeSummary(name=t.name, measure_count=t.measure_count) for t in themes],
    )
