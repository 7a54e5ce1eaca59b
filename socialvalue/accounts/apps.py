from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socialvalue.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"

    def ready(self) -> None:
        from socialvalue.accounts.security import connect_signals

        connect_signals()
