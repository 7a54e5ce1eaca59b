"""The evaluation pages' URLs (names in the ``procurement`` namespace)."""

from django.urls import path

from socialvalue.procurement.evaluation.outcome_views import (
    award,
    compare,
    debrief,
    report,
    report_pdf,
    report_xlsx,
    results,
)
from socialvalue.procurement.evaluation.views import (
    evaluation,
    evaluation_submit,
    moderation,
    moderation_complete,
)

urlpatterns = [
    path("tenders/<int:pk>/evaluation/", evaluation, name="evaluation"),
    path("tenders/<int:pk>/evaluation/submit/", evaluation_submit, name="evaluation_submit"),
    path("tenders/<int:pk>/moderation/", moderation, name="moderation"),
    path(
        "tenders/<int:pk>/moderation/complete/",
        moderation_complete,
        name="moderation_complete",
    ),
    path("tenders/<int:pk>/results/", results, name="results"),
    path("tenders/<int:pk>/compare/", compare, name="compare"),
    path("tenders/<int:pk>/report/", report, name="report"),
    path("tenders/<int:pk>/report.xlsx", report_xlsx, name="report_xlsx"),
    path("tenders/<int:pk>/report.pdf", report_pdf, name="report_pdf"),
    path("tenders/<int:pk>/award/", award, name="award"),
    path("offers/<int:bid_pk>/debrief/", debrief, name="debrief"),
]
