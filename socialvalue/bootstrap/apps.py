from django.apps import AppConfig


class BootstrapConfig(AppConfig):
    name = "socialvalue.bootstrap"
    label = "bootstrap"
    verbose_name = "Bootstrap and demo data"

    def ready(self) -> None:
        # The system checks look at every page and API operation, so they are registered
        # here, above every app, once all of them are loaded.
        import socialvalue.checks  # noqa: F401  (every page declares its access rule)
