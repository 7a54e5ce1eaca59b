from django.urls import include, path

app_name = "insights"

# Each area of the app keeps its own routes; they share the "insights" namespace.
urlpatterns = [
    path("", include("socialvalue.insights.urls_dashboard")),
    path("", include("socialvalue.insights.urls_training")),
    path("", include("socialvalue.insights.urls_statement")),
    path("", include("socialvalue.insights.urls_reports")),
    path("", include("socialvalue.insights.urls_public")),
    path("", include("socialvalue.insights.urls_guidance")),
]
