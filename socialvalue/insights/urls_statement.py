from django.urls import URLPattern, path

from socialvalue.insights.views import statement

# The annual social value statement: managed under /insights/, published under /statement/.
urlpatterns: list[URLPattern] = [
    path("insights/statement/", statement.statement_manage, name="statement_manage"),
    path("insights/statement/new/", statement.statement_new, name="statement_new"),
    path("insights/statement/<int:year>/", statement.statement_view, name="statement"),
    path(
        "insights/statement/<int:year>/statement.pdf",
        statement.statement_draft_pdf,
        name="statement_draft_pdf",
    ),
    path("insights/statement/<int:year>/edit/", statement.statement_edit, name="statement_edit"),
    path(
        "insights/statement/<int:year>/edit/<slug:key>/",
        statement.section_edit,
        name="statement_section_edit",
    ),
    path(
        "insights/statement/<int:year>/publish/",
        statement.statement_publish_view,
        name="statement_publish",
    ),
    path(
        "insights/statement/<int:year>/withdraw/",
        statement.statement_withdraw_view,
        name="statement_withdraw",
    ),
    # Public: published statements only.
    path("statement/", statement.public_latest, name="statement_public"),
    path("statement/<int:year>/", statement.public_year, name="statement_public_year"),
    path("statement/<int:year>/statement.pdf", statement.public_pdf, name="statement_public_pdf"),
    path(
        "statement/<slug:organisation>/",
        statement.public_organisation_latest,
        name="statement_public_organisation",
    ),
    path(
        "statement/<slug:organisation>/<int:year>/",
        statement.public_organisation_year,
        name="statement_public_organisation_year",
    ),
    path(
        "statement/<slug:organisation>/<int:year>/statement.pdf",
        statement.public_organisation_pdf,
        name="statement_public_organisation_pdf",
    ),
]
