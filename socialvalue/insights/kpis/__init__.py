"""The KPIs of the dashboard, the cabinet report and the annual statement.

Every figure is computed from the records, exactly (``Decimal``), for a *scope*: the buying
organisations whose figures are wanted, a range of financial quarters, and optional filters
(directorate, category, supplier, district, theme).

Definitions (all in the scope's quarters):

- **Committed** (£): the targets of contracts that *started* in the quarters (awarded or
  registered), valued at their pinned proxies; **awarded value** (£): those contracts'
  values. *Committed SV Add %* = committed ÷ awarded × 100.
- **Delivered** (£): verified return lines of the quarters, valued at their contract's
  proxies (only verified quantities count).
- **Contract spend** (£): each contract's value spread evenly over its days, counting the
  days inside the quarters. *Delivered SV Add %* = delivered ÷ spend × 100.
- **Local, MSME and VCSE spend** (£): verified quantities of NT18, NT19 and NT14 (each is
  "£ spent"), and each as a % of contract spend.
- **Returns on time %**: of the returns due in the quarters (due date passed) from suppliers
  holding a contract in scope, those submitted by their due date.
- **Officers trained %**: of the organisations' active council staff (lead, officers,
  evaluators), those who completed at least one training course by the end of the range.
- **Case studies**: published per quarter (about the organisations' contracts or by the
  organisations themselves), against the target of one a quarter.
- **Tenders applying social value %**: of the tenders opened in the quarters with an
  estimated value at or above the organisation's policy threshold, those with a social
  value weighting above 0.

Sums of quantities are done in the database, exactly: PostgreSQL sums ``numeric`` exactly;
on SQLite quantities (at most 6 decimal places) are summed as whole millionths.

Delivered figures are read from the delivered rollup (``insights.rollups``: verified
quantities already summed per organisation, quarter or financial year and measure, kept
exact by triggers) whenever the scope has no filter the rollup cannot answer (directorate,
category, supplier, district); otherwise, and on databases without the triggers, from the
lines themselves. Both give the same figures.

Values (Σ quantity × proxy) are worked out in whole millionths × ten-thousandths of a
pound: summed by the database where it can do so exactly (PostgreSQL ``numeric``; SQLite's
64-bit integers with the proxy split into base-1000 limbs), otherwise per measure in Python
integers. Either way the result is exact and identical.

Where things are: ``scope.py`` (the scope, the lines and targets it reaches, exact sums),
``rollup.py`` (reading the delivered rollup), ``values.py`` (delivered, committed, awarded,
spend) and ``ratios.py`` (the ratios, the headline and the breakdowns).
"""

from socialvalue.insights.kpis.ratios import (
    BreakdownRow as BreakdownRow,
)
from socialvalue.insights.kpis.ratios import (
    Headline as Headline,
)
from socialvalue.insights.kpis.ratios import (
    Ratio as Ratio,
)
from socialvalue.insights.kpis.ratios import (
    ValueShares as ValueShares,
)
from socialvalue.insights.kpis.ratios import (
    _labels as _labels,
)
from socialvalue.insights.kpis.ratios import (
    breakdown as breakdown,
)
from socialvalue.insights.kpis.ratios import (
    case_studies_by_quarter as case_studies_by_quarter,
)
from socialvalue.insights.kpis.ratios import (
    headline as headline,
)
from socialvalue.insights.kpis.ratios import (
    officers_trained as officers_trained,
)
from socialvalue.insights.kpis.ratios import (
    returns_on_time as returns_on_time,
)
from socialvalue.insights.kpis.ratios import (
    tenders_with_sv as tenders_with_sv,
)
from socialvalue.insights.kpis.rollup import (
    _Inexact as _Inexact,
)
from socialvalue.insights.kpis.rollup import (
    _rollup_table as _rollup_table,
)
from socialvalue.insights.kpis.rollup import (
    _rollup_valued as _rollup_valued,
)
from socialvalue.insights.kpis.rollup import (
    _rollup_values as _rollup_values,
)
from socialvalue.insights.kpis.rollup import (
    _rollup_where as _rollup_where,
)
from socialvalue.insights.kpis.rollup import (
    _scope_periods as _scope_periods,
)
from socialvalue.insights.kpis.rollup import (
    rollup_sums as rollup_sums,
)
from socialvalue.insights.kpis.rollup import (
    uses_rollup as uses_rollup,
)
from socialvalue.insights.kpis.scope import (
    _EXACT as _EXACT,
)
from socialvalue.insights.kpis.scope import (
    CASE_STUDIES_PER_QUARTER as CASE_STUDIES_PER_QUARTER,
)
from socialvalue.insights.kpis.scope import (
    DIMENSION_LABELS as DIMENSION_LABELS,
)
from socialvalue.insights.kpis.scope import (
    LIMB as LIMB,
)
from socialvalue.insights.kpis.scope import (
    LINE_DIMENSIONS as LINE_DIMENSIONS,
)
from socialvalue.insights.kpis.scope import (
    LOCAL_CODE as LOCAL_CODE,
)
from socialvalue.insights.kpis.scope import (
    MILLIONTH as MILLIONTH,
)
from socialvalue.insights.kpis.scope import (
    MSME_CODE as MSME_CODE,
)
from socialvalue.insights.kpis.scope import (
    PROXY_PLACES as PROXY_PLACES,
)
from socialvalue.insights.kpis.scope import (
    ROLLUP_DIMENSIONS as ROLLUP_DIMENSIONS,
)
from socialvalue.insights.kpis.scope import (
    TARGET_DIMENSIONS as TARGET_DIMENSIONS,
)
from socialvalue.insights.kpis.scope import (
    VCSE_CODE as VCSE_CODE,
)
from socialvalue.insights.kpis.scope import (
    ZERO as ZERO,
)
from socialvalue.insights.kpis.scope import (
    Scope as Scope,
)
from socialvalue.insights.kpis.scope import (
    _from_item as _from_item,
)
from socialvalue.insights.kpis.scope import (
    _grouped_values as _grouped_values,
)
from socialvalue.insights.kpis.scope import (
    _limbs as _limbs,
)
from socialvalue.insights.kpis.scope import (
    _micro as _micro,
)
from socialvalue.insights.kpis.scope import (
    _proxies as _proxies,
)
from socialvalue.insights.kpis.scope import (
    _proxy_units as _proxy_units,
)
from socialvalue.insights.kpis.scope import (
    _valued as _valued,
)
from socialvalue.insights.kpis.scope import (
    committed_targets as committed_targets,
)
from socialvalue.insights.kpis.scope import (
    contracts_in_scope as contracts_in_scope,
)
from socialvalue.insights.kpis.scope import (
    exact_sum as exact_sum,
)
from socialvalue.insights.kpis.scope import (
    from_sum as from_sum,
)
from socialvalue.insights.kpis.scope import (
    verified_lines as verified_lines,
)
from socialvalue.insights.kpis.values import (
    TARGET_COLUMNS as TARGET_COLUMNS,
)
from socialvalue.insights.kpis.values import (
    _committed as _committed,
)
from socialvalue.insights.kpis.values import (
    _committed_valued as _committed_valued,
)
from socialvalue.insights.kpis.values import (
    awarded_value as awarded_value,
)
from socialvalue.insights.kpis.values import (
    committed_by as committed_by,
)
from socialvalue.insights.kpis.values import (
    committed_value as committed_value,
)
from socialvalue.insights.kpis.values import (
    contract_spend as contract_spend,
)
from socialvalue.insights.kpis.values import (
    delivered_by as delivered_by,
)
from socialvalue.insights.kpis.values import (
    delivered_by_contract as delivered_by_contract,
)
from socialvalue.insights.kpis.values import (
    delivered_value as delivered_value,
)
from socialvalue.insights.kpis.values import (
    spend_by_code as spend_by_code,
)
