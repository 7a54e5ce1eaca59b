from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "socialvalue.partners"
    label = "partners"
    verbose_name = "Partner organisations"

    def ready(self) -> None:
        from socialvalue.accounts.dashboard import DashboardLink, for_lead, register

        register(
            DashboardLink(
                key="partners:profile",
                title="Your partner profile",
                url_name="partners:profile_edit",
                description=(
                    "Keep your organisation's entry in the partner directory up to date and "
                    "send changes for approval."
                ),
                shown_to=for_partner_users,
                order=10,
            )
        )
        register(
            DashboardLink(
                key="partners:approvals",
                title="Partner approvals",
                url_name="partners:approvals",
                description=(
                    "Approve or reject changes partner organisations make to their profiles, "
                    "and add new partners."
                ),
                shown_to=for_lead,
                order=30,
            )
        )


def for_partner_users(user: object) -> bool:
    return bool(getattr(user, "is_partner_user", False))
