from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "socialvalue.contracts"
    label = "contracts"
    verbose_name = "Contracts"
