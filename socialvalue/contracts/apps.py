from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "socialvalue.contracts"
    label = "contracts"
    verbose_name = "Contracts and returns"

    def ready(self) -> None:
        from socialvalue.contracts.receivers import contract_for_award
        from socialvalue.procurement.signals import tender_awarded

        tender_awarded.connect(contract_for_award, dispatch_uid="contracts.contract_for_award")

        from socialvalue.accounts.dashboard import (
            DashboardLink,
            for_lead,
            for_officers,
            for_suppliers,
            register,
        )

        register(
            DashboardLink(
                key="contracts:contracts",
                title="Contracts",
                url_name="contracts:contract_list",
                description="Contracts, their social value targets and how they are performing.",
                shown_to=for_officers,
                order=12,
            )
        )
        register(
            DashboardLink(
                key="contracts:returns",
                title="Quarterly returns",
                url_name="contracts:return_list",
                description="Verify what suppliers report each quarter, with their evidence.",
                shown_to=for_officers,
                order=13,
            )
        )
        register(
            DashboardLink(
                key="contracts:exceptions",
                title="Exceptions",
                url_name="contracts:exceptions",
                description="Contracts behind target, overdue returns and open queries.",
                shown_to=for_officers,
                order=14,
            )
        )
        register(
            DashboardLink(
                key="contracts:supplier_contracts",
                title="Your contracts",
                url_name="contracts:contract_list",
                description="Your contracts' social value targets and what has been verified.",
                shown_to=for_suppliers,
                order=12,
            )
        )
        register(
            DashboardLink(
                key="contracts:supplier_returns",
                title="Your quarterly returns",
                url_name="contracts:return_list",
                description="Report what you delivered each quarter, with evidence.",
                shown_to=for_suppliers,
                order=13,
            )
        )
        register(
            DashboardLink(
                key="contracts:reporting_settings",
                title="Reporting settings",
                url_name="contracts:reporting_settings",
                description="When returns are due, reminders and the RAG thresholds.",
                shown_to=for_lead,
                order=21,
            )
        )
