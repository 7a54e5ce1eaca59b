from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "socialvalue.procurement"
    label = "procurement"
    verbose_name = "Procurement"

    def ready(self) -> None:
        from socialvalue.accounts.dashboard import (
            DashboardLink,
            for_lead,
            for_officers,
            for_suppliers,
            register,
        )

        register(
            DashboardLink(
                key="procurement:tenders",
                title="Tenders",
                url_name="procurement:tender_list",
                description="Set up tenders, evaluate social value offers and award contracts.",
                shown_to=for_officers,
                order=10,
            )
        )
        register(
            DashboardLink(
                key="procurement:opportunities",
                title="Opportunities",
                url_name="procurement:opportunity_list",
                description="Tenders open for social value offers.",
                shown_to=for_suppliers,
                order=10,
            )
        )
        register(
            DashboardLink(
                key="procurement:offers",
                title="Your offers",
                url_name="procurement:offer_list",
                description="Draft, submit or withdraw your social value offers; see debriefs.",
                shown_to=for_suppliers,
                order=11,
            )
        )
        register(
            DashboardLink(
                key="procurement:policy",
                title="Social value policy",
                url_name="procurement:policy_edit",
                description="Threshold, minimum weighting, scoring defaults and quality profile.",
                shown_to=for_lead,
                order=20,
            )
        )
