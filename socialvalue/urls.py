from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from socialvalue.api import api, api_not_found
from socialvalue.core.access import ANYONE, access
from socialvalue.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("socialvalue.site.urls")),
    path("", include("socialvalue.framework.urls")),
    path("", include("socialvalue.partners.urls")),
    path("", include("socialvalue.engagement.urls")),
    path("", include("socialvalue.stories.urls")),
    path("", include("socialvalue.needs.urls")),
    path("", include("socialvalue.procurement.urls")),
    path("", include("socialvalue.contracts.urls")),
    path("", include("socialvalue.insights.urls")),
    path("account/", include("socialvalue.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
]

handler400 = "socialvalue.site.views.bad_request"
handler403 = "socialvalue.site.views.permission_denied"
handler404 = "socialvalue.site.views.page_not_found"
handler500 = "socialvalue.site.views.server_error"

if settings.DEBUG:
    from django.views.generic import TemplateView

    urlpatterns += [
        path("_errors/404/", access(ANYONE)(TemplateView.as_view(template_name="404.html"))),
        path("_errors/500/", access(ANYONE)(TemplateView.as_view(template_name="500.html"))),
    ]
