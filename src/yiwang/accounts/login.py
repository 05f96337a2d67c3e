"""Logging in, on every channel: lockout first, then the password, and a record either way.

等保 2.0 level 3: repeated failures lock the account, and the source address, for a while
(settings YIWANG_LOCKOUT_*). A locked account is refused even with the right password, with its
own error code, so a guesser learns nothing while the lock lasts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import LoginChannel, LoginEvent, User
from yiwang.accounts.selectors import user_by_login
from yiwang.core.errors import DomainError, NotAuthenticated
from yiwang.core.personal_data import lookup_digest
from yiwang.core.request_context import current_client_ip


class AccountLocked(DomainError):
    code = "account_locked"
    status = 429

    def __init__(self, minutes: int) -> None:
        super().__init__(
            _("Too many failed logins. Try again in %(minutes)d minutes.") % {"minutes": minutes},
            details={"retry_after_seconds": minutes * 60},
        )


def _subject(login: str, user: User | None) -> str:
    return lookup_digest(f"user:{user.pk}" if user is not None else f"login:{login.strip().lower()}")


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.YIWANG_LOCKOUT_MINUTES)


def _recent_failures(**where: object) -> int:
    """Failures in the window since the last success of the same subject or address."""
    events = LoginEvent.objects.filter(at__gte=_window_start(), **where)
    last_success = events.filter(success=True).order_by("-at").values_list("at", flat=True).first()
    failures = events.filter(success=False)
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    return failures.count()


def login_locked(*, login: str) -> bool:
    user = user_by_login(login=login)
    ip = current_client_ip()
    if _recent_failures(subject=_subject(login, user)) >= settings.YIWANG_LOCKOUT_ATTEMPTS:
        return True
    return ip is not None and _recent_failures(source_ip=ip) >= settings.YIWANG_LOCKOUT_IP_ATTEMPTS


def login_attempt(*, request: HttpRequest | None, login: str, password: str, channel: str = LoginChannel.PAGE) -> User:
    """The account for these credentials, or AccountLocked / NotAuthenticated. Always recorded.

    Attempts on one account are serialised on its row, so a burst of parallel guesses cannot all
    pass the lockout check before the first failure is written: at most the limit are ever tried.
    """
    login = login.strip()
    candidate = user_by_login(login=login)
    with transaction.atomic():  # the record of a refusal must commit: decide inside, raise outside
        if candidate is not None:
            User.objects.select_for_update().filter(pk=candidate.pk).first()
        outcome = _attempt(request, login, password, channel, candidate)
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def _attempt(
    request: HttpRequest | None, login: str, password: str, channel: str, candidate: User | None
) -> User | DomainError:
    if login_locked(login=login):
        _record(login, candidate, channel, request, success=False)
        return AccountLocked(settings.YIWANG_LOCKOUT_MINUTES)
    user = authenticate(request, username=login, password=password)
    if user is None:
        _record(login, candidate, channel, request, success=False)
        return NotAuthenticated(_("The username or password is incorrect."), code="invalid_credentials")
    assert isinstance(user, User)
    _record(login, user, channel, request, success=True)
    return user


@transaction.atomic
def _record(login: str, user: User | None, channel: str, request: HttpRequest | None, *, success: bool) -> None:
    LoginEvent.objects.create(
        user=user,
        subject=_subject(login, user),
        source_ip=current_client_ip(),
        channel=channel,
        success=success,
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:200],
    )


def second_factor_failed(*, request: HttpRequest | None, user: User, channel: str = LoginChannel.PAGE) -> None:
    """A wrong one-time code counts like a wrong password towards the lockout."""
    _record(f"user:{user.pk}", user, channel, request, success=False)
    from yiwang.audit.choices import AuditResult
    from yiwang.audit.services import audit_record

    audit_record(
        actor=None,
        actor_name=user.get_username(),
        action="auth.two_factor_failed",
        target=user,
        result=AuditResult.FAILED,
    )
