"""The contracts API: reporting periods, contracts, returns, lines and evidence.

Scoped by the caller's organisation and role, with the same rules as the pages:
suppliers report and submit through it, council staff verify through it. Errors are JSON
``{"detail": [{"loc": [...], "msg": "..."}]}``: 401 without credentials, 403 for the wrong
role, 404 for a record the caller may not see, 409 for a change the record's state does not
allow, 422 naming each field sent wrong, 400 for a body that is not JSON.
"""

from ninja import Router

from socialvalue.contracts.api_contracts import router as contracts_router
from socialvalue.contracts.api_evidence import router as evidence_router
from socialvalue.contracts.api_lines import router as lines_router
from socialvalue.contracts.api_returns import router as returns_router

router = Router()
router.add_router("", contracts_router)
router.add_router("", returns_router)
router.add_router("", lines_router)
router.add_router("", evidence_router)
