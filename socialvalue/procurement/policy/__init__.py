"""The social value policy of a buying organisation: its threshold, weightings and quality
profile. Its writes are ``procurement/services.py`` (``policy_update``); here are its form,
its change history (``selectors.py``) and its page (``views.py``)."""
