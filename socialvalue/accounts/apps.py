from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socialvalue.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"
