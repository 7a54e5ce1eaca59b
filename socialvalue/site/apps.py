from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "socialvalue.site"
    label = "site"
    verbose_name = "Public website"
