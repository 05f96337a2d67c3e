"""API: tokens for API clients, and who am I."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from yiwang.accounts.api_auth import TokenAuth, api_auth
from yiwang.accounts.api_keys import ScopedApiKey
from yiwang.accounts.login import login_attempt, second_factor_failed
from yiwang.accounts.models import LoginChannel
from yiwang.accounts.selectors import user_roles
from yiwang.accounts.services import api_token_issue, api_token_revoke
from yiwang.accounts.two_factor import confirmed_device, totp_verify, two_factor_needed
from yiwang.core.api_support import ErrorOut
from yiwang.core.errors import NotAuthenticated
from yiwang.core.shell import acting_user

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=128)
    otp: str | None = Field(None, max_length=8, description="the current TOTP code, for two-factor accounts")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    roles: list[str]


@router.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Exchange username and password for a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Locked accounts get 429 with code ``account_locked``; wrong credentials 401 ``invalid_credentials``."""
    user = login_attempt(request=request, login=payload.username, password=payload.password, channel=LoginChannel.API)
    if two_factor_needed(user):
        if confirmed_device(user) is None:
            raise NotAuthenticated(
                _("Set up two-factor login on the web page first."), code="two_factor_setup_required"
            )
        if not payload.otp:
            raise NotAuthenticated(_("This account needs the one-time code (otp)."), code="otp_required")
        if not totp_verify(user=user, code=payload.otp):
            second_factor_failed(request=request, user=user, channel=LoginChannel.API)
            raise NotAuthenticated(
                _("The code is wrong or has expired; enter the current 6-digit code."), code="otp_invalid"
            )
    raw, token = api_token_issue(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=api_auth, summary="The authenticated account")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.get_username(),
        full_name=getattr(user, "full_name", ""),
        kind=getattr(user, "kind", ""),
        roles=sorted(user_roles(user=user)),
    )


class KeyOut(Schema):
    name: str
    scopes: list[str]
    expires_at: datetime


@router.get("/key", response={200: KeyOut, 401: ErrorOut}, auth=ScopedApiKey(), summary="The calling system's API key")
def key_info(request: HttpRequest) -> KeyOut:
    key = request.auth  # type: ignore[attr-defined]
    return KeyOut(name=key.name, scopes=key.scopes, expires_at=key.expires_at)


@router.post(
    "/token/revoke", response={204: None, 401: ErrorOut}, auth=TokenAuth(), summary="Revoke the bearer token used"
)
def token_revoke(request: HttpRequest) -> Status[None]:
    raw = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    api_token_revoke(user=acting_user(request), raw=raw)
    return Status(204, None)
