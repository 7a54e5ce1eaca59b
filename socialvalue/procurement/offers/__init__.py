"""Suppliers' social value offers (bids): from an open opportunity to a submitted offer.

Where things are: ``rules.py`` (what an offer must satisfy, and reads of where it stands),
``services.py`` (the writes), ``selectors.py`` (opportunities and a supplier's own offers),
``forms.py``, the pages in ``views.py`` (opportunities, the offer, submitting) and
``commitment_views.py`` (commitments and the completed template upload) with what they
share in ``pages.py``; the offer spreadsheet is ``xlsx_layout.py``, ``xlsx_template.py``
and ``xlsx_import.py``.
"""
