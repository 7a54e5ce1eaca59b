from django.urls import path

from socialvalue.insights.views import reports

urlpatterns = [
    path("insights/reports/", reports.reports, name="reports"),
    path(
        "insights/reports/<slug:who>/<slug:quarter>/cabinet-report.pdf",
        reports.cabinet_report_pdf,
        name="cabinet_report_pdf",
    ),
]
