"""Print a session id signed in as EMAIL, for checking signed-in pages in a browser.

DEBUG=1 python tools/session_for.py officer@lancashire.example
"""

import os
import sys

import django


def main(email: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from socialvalue.accounts.models import User

    if not settings.DEBUG:
        sys.exit("Only for development sites (DEBUG=1).")
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(session.session_key)


if __name__ == "__main__":
    main(sys.argv[1])
