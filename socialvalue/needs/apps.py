from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "socialvalue.needs"
    label = "needs"
    verbose_name = "Local needs"
