from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "socialvalue.engagement"
    label = "engagement"
    verbose_name = "Events and news"

    def ready(self) -> None:
        from socialvalue.accounts.dashboard import DashboardLink, for_lead, register

        register(
            DashboardLink(
                key="engagement:manage",
                title="Events and news",
                url_name="engagement:manage",
                description=(
                    "Publish market engagement sessions, the annual forum and webinars, see "
                    "who has registered, and post news to the message board."
                ),
                shown_to=for_lead,
                order=40,
            )
        )
