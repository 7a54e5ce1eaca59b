"""The contract pages, one module per group; ``urls.py`` reaches them all from here."""

from socialvalue.contracts.views.contract_detail import contract_detail
from socialvalue.contracts.views.contract_list import contract_list, exceptions
from socialvalue.contracts.views.contract_manage import (
    contract_close_view,
    contract_edit,
    contract_new,
)
from socialvalue.contracts.views.contract_targets import target_profile, targets_edit
from socialvalue.contracts.views.reporting_settings import reporting_settings

__all__ = [
    "contract_close_view",
    "contract_detail",
    "contract_edit",
    "contract_list",
    "contract_new",
    "exceptions",
    "reporting_settings",
    "target_profile",
    "targets_edit",
]
