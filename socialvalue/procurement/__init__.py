"""Procurement: tenders with social value, suppliers' offers, their evaluation and award.

Where things are:

- ``models.py`` (every model), ``selectors.py`` (reads of tenders and bids, with the access
  rules) and ``services.py`` (the policy and the tender lifecycle), shared by every part;
- ``policy/``: the social value policy page and its change history;
- ``tenders/``: the officers' tender pages (list, edit, menu, panel, lifecycle);
- ``offers/``: suppliers' offers, their rules and writes, pages and offer spreadsheet;
- ``evaluation/``: panel scoring, moderation, results, the evaluation report and award
  (the award sends ``signals.tender_awarded``; the contracts app creates the contract);
- ``documents/``: the ITT pack's Word documents;
- ``scoring/``: the pure scoring engine, and ``scoring_api.py`` its ``POST /api/v1/score``;
- ``api.py``: the tender and bid API; ``admin.py``: the admin.

Layer 4 of 8, beside needs and partners (which it may not import): may import core, accounts and
framework. See ``[tool.importlinter]`` in pyproject.toml.
"""
