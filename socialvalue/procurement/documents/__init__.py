"""The ITT pack of a tender: the documents a supplier downloads to make an offer.

Implements "10. Social value templates" of the Social Value Strategy 2024-28. Where things
are: ``wording.py`` (the wording shared by the pack), ``docx_blocks.py`` (Word building
blocks), ``itt.py`` (the ITT wording), ``qdp.py`` (the Qualitative Delivery Plan) and the
download pages in ``views.py``. The offer spreadsheet is in ``offers/xlsx_template.py``.
"""
