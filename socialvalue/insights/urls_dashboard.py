from django.urls import path

from socialvalue.insights.views import dashboard, targets

urlpatterns = [
    path("insights/", dashboard.dashboard, name="dashboard"),
    path("insights/targets/", targets.targets, name="targets"),
]
