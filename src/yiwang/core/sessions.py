"""The session store: Django's database sessions, with keys checked before any query.

Django makes session keys of 32 lowercase letters and digits; its own check of a key from a cookie is
only its length. A cookie carrying a NUL reached the session query and PostgreSQL answered it with a
server error before any page ran (issue 17, defect 5). A key of any other alphabet is no session.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and 8 <= len(key or "") <= 40 and (key or "").isascii() and (key or "").isalnum()
