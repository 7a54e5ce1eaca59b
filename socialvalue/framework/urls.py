from django.urls import path, register_converter

from socialvalue.framework import calculator_views, views


class DownloadFormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadFormatConverter, "download_format")

app_name = "framework"

urlpatterns = [
    path("framework/", views.framework_index, name="index"),
    path("framework/versions/", views.framework_versions, name="versions"),
    path("framework/<slug:version_slug>/", views.framework_version, name="version"),
    path(
        "framework/<slug:version_slug>/measures/<str:code>/",
        views.framework_measure,
        name="measure",
    ),
    path(
        "framework/<slug:version_slug>/download.<download_format:fmt>",
        views.framework_download,
        name="download",
    ),
    path("framework/<slug:version_slug>/changes/", views.framework_changes, name="changes"),
    path("calculator/", calculator_views.calculator, name="calculator"),
]
