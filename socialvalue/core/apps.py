from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "socialvalue.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from socialvalue.core.middleware import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="socialvalue.core.mark_signed_in")
