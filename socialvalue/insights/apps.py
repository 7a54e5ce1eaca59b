from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "socialvalue.insights"
    label = "insights"
    verbose_name = "Insight"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from socialvalue.insights import rollups

        # SQLite drops a table's triggers when a migration rebuilds it: put them back.
        post_migrate.connect(
            rollups.ensure_installed, sender=self, dispatch_uid="insights-rollup-triggers"
        )

        from socialvalue.accounts.dashboard import DashboardLink, for_lead, for_officers, register

        register(
            DashboardLink(
                key="insights:dashboard",
                title="Insight",
                url_name="insights:dashboard",
                description="Social value committed and delivered, against the year's targets.",
                shown_to=for_officers,
                order=16,
            )
        )
        register(
            DashboardLink(
                key="insights:training",
                title="Training records",
                url_name="insights:training",
                description="Courses and which officers have completed them.",
                shown_to=for_officers,
                order=19,
            )
        )
        register(
            DashboardLink(
                key="insights:reports",
                title="Cabinet report",
                url_name="insights:reports",
                description="The quarterly social value report to Cabinet, as a PDF.",
                shown_to=for_officers,
                order=17,
            )
        )
        register(
            DashboardLink(
                key="insights:categories",
                title="Category plan guidance",
                url_name="insights:categories",
                description="What each category's contracts commit to and deliver, with a "
                "suggested menu of measures.",
                shown_to=for_officers,
                order=18,
            )
        )
        register(
            DashboardLink(
                key="insights:needs",
                title="Needs against delivery",
                url_name="insights:needs",
                description="Social value delivered in each district beside its deprivation.",
                shown_to=for_officers,
                order=18,
            )
        )
        register(
            DashboardLink(
                key="insights:statement",
                title="Annual statements",
                url_name="insights:statement_manage",
                description="Write, preview and publish the annual social value statement.",
                shown_to=for_lead,
                order=22,
            )
        )
        register(
            DashboardLink(
                key="insights:targets",
                title="KPI targets",
                url_name="insights:targets",
                description="The targets each KPI is measured against, year by year.",
                shown_to=for_lead,
                order=23,
            )
        )
