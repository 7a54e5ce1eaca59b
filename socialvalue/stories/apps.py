from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "socialvalue.stories"
    label = "stories"
    verbose_name = "Case studies"

    def ready(self) -> None:
        from socialvalue.accounts.dashboard import DashboardLink, for_lead, register
        from socialvalue.stories.selectors import can_write_case_studies

        register(
            DashboardLink(
                key="stories:mine",
                title="Your case studies",
                url_name="stories:mine",
                description=(
                    "Write case studies of the social value delivered on your contracts and "
                    "send them for publication."
                ),
                shown_to=can_write_case_studies,
                order=15,
            )
        )
        register(
            DashboardLink(
                key="stories:review",
                title="Case study reviews",
                url_name="stories:review_list",
                description="Publish case studies sent for review, or return them with a note.",
                shown_to=for_lead,
                order=31,
            )
        )
