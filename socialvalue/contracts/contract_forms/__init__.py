"""Forms of the contract pages: the list's filters, registering and editing a contract, its
targets and their quarterly profile, closing it, and the reporting settings.

They only read and check input; writes go through ``contracts/services.py``. Dates are
GOV.UK date inputs (day, month, year), laid out by ``includes/date_input.html``.
"""

from socialvalue.contracts.contract_forms.contract import (
    ERR_END_BEFORE_START,
    ERR_OUTCOME,
    ERR_REFERENCE,
    ERR_SUPPLIER,
    ERR_TERMINATION_DATE,
    ERR_VALUE_INVALID,
    ContractCloseForm,
    ContractFilterForm,
    ContractForm,
)
from socialvalue.contracts.contract_forms.fields import (
    ERR_QUANTITY_NEGATIVE,
    add_service_errors,
    plain,
)
from socialvalue.contracts.contract_forms.reporting_settings import (
    ERR_AMBER_ABOVE_GREEN,
    ReportingSettingsForm,
)
from socialvalue.contracts.contract_forms.targets import (
    ERR_MEASURE,
    ProfileForm,
    TargetAddForm,
    TargetChangeForm,
)

__all__ = [
    "ERR_AMBER_ABOVE_GREEN",
    "ERR_END_BEFORE_START",
    "ERR_MEASURE",
    "ERR_OUTCOME",
    "ERR_QUANTITY_NEGATIVE",
    "ERR_REFERENCE",
    "ERR_SUPPLIER",
    "ERR_TERMINATION_DATE",
    "ERR_VALUE_INVALID",
    "ContractCloseForm",
    "ContractFilterForm",
    "ContractForm",
    "ProfileForm",
    "ReportingSettingsForm",
    "TargetAddForm",
    "TargetChangeForm",
    "add_service_errors",
    "plain",
]
