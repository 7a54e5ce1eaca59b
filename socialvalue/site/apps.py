from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "socialvalue.site"
    label = "site"
    verbose_name = "Public website"

    def ready(self) -> None:
        from socialvalue.accounts.dashboard import DashboardLink, for_lead, register

        register(
            DashboardLink(
                key="site:content",
                title="Website content",
                url_name="site:content",
                description=(
                    "Write and publish the resource bank, frequently asked questions and the "
                    "policy page."
                ),
                shown_to=for_lead,
                order=45,
            )
        )
        register(
            DashboardLink(
                key="site:feedback",
                title="Lessons-learned feedback",
                url_name="site:feedback_inbox",
                description="Review what suppliers, staff, partners and residents told us.",
                shown_to=for_lead,
                order=46,
            )
        )
