"""Markdown for content the social value lead and suppliers write: rendered, then sanitised.

Only a small, safe subset of HTML survives (headings, paragraphs, lists, links, emphasis,
tables, blockquotes, code); every tag gets its GOV.UK class so content looks like the rest
of the site. Links to other sites open normally but carry ``rel="noopener noreferrer"``.
"""

import re

import markdown as markdown_lib  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}
GOVUK_CLASSES = {
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "caption": "govuk-table__caption govuk-table__caption--s",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}
_OPEN_TAG = re.compile(r"<(" + "|".join(GOVUK_CLASSES) + r")(\s[^>]*)?>")


def _add_classes(html: str) -> str:
    def add(match: re.Match[str]) -> str:
        tag, attrs = match.group(1), match.group(2) or ""
        return f'<{tag} class="{GOVUK_CLASSES[tag]}"{attrs}>'

    return _OPEN_TAG.sub(add, html)


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitised HTML with GOV.UK classes; "# Heading" becomes an h2 at most."""
    # Page titles are h1 already: shift Markdown headings down one level.
    shifted = re.sub(r"^(#{1,3})(?=\s)", lambda m: "#" * (len(m.group(1)) + 1), text, flags=re.M)
    html = markdown_lib.markdown(shifted, extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(_add_classes(clean))  # noqa: S308 - sanitised by nh3 above
