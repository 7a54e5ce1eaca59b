from socialvalue.core.markdown import render_markdown


def test_it_renders_headings_one_level_down_with_govuk_classes() -> None:
    assert str(render_markdown("# Our approach")) == (
        '<h2 class="govuk-heading-m">Our approach</h2>'
    )


def test_it_renders_lists_and_links() -> None:
    html = str(render_markdown("- one\n- [two](https://example.org)"))
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert (
        '<a class="govuk-link" href="https://example.org" rel="noopener noreferrer">two</a>' in html
    )


def test_it_removes_scripts_and_dangerous_links() -> None:
    html = str(
        render_markdown(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<img" not in html


def test_it_keeps_tables() -> None:
    html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |"))
    assert '<table class="govuk-table">' in html
    assert '<td class="govuk-table__cell">1</td>' in html
