"""The officers' tender pages: from a draft to an open, closed and awarded tender.

Where things are: the tender's writes and reads are ``procurement/services.py`` and
``procurement/selectors.py`` (shared by every part of procurement); here are its forms
(``forms.py``), its pages (``views.py``: list, create, edit, detail and lifecycle;
``setup_views.py``: menu and panel) with what they share in ``pages.py``, and ``urls.py``.
"""
