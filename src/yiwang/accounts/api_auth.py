"""How API callers prove who they are: a bearer token of their own, or the page's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from yiwang.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer yw_…`` as issued by POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(raw=token)
        if user is not None:
            request.user = user
        return user


# Pages that call the API use their session (with CSRF); other clients use a bearer token.
api_auth = [TokenAuth(), SessionAuth(csrf=True)]
