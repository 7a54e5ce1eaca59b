from django.urls import URLPattern, path

from socialvalue.insights.views import training

# Training records: council staff read them, the social value lead keeps them.
urlpatterns: list[URLPattern] = [
    path("insights/training/", training.training_index, name="training"),
    path("insights/training/officers.csv", training.training_csv, name="training_csv"),
    path("insights/training/courses/new/", training.course_new, name="training_course_new"),
    path("insights/training/courses/<int:pk>/", training.course_detail, name="training_course"),
    path(
        "insights/training/courses/<int:pk>/edit/",
        training.course_edit,
        name="training_course_edit",
    ),
    path(
        "insights/training/courses/<int:pk>/retire/",
        training.course_retire,
        name="training_course_retire",
    ),
    path(
        "insights/training/completions/new/",
        training.completion_new,
        name="training_completion_new",
    ),
    path(
        "insights/training/completions/<int:pk>/remove/",
        training.completion_remove,
        name="training_completion_remove",
    ),
    path(
        "insights/training/completions/import/",
        training.completions_upload,
        name="training_import",
    ),
]
