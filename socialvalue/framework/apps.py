from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "socialvalue.framework"
    label = "framework"
    verbose_name = "TOMs framework"
