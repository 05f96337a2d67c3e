"""Session rules for staff (等保 2.0 level 3): idle timeout, and passwords that must be replaced."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import User
from yiwang.core.shell import user_is_staff_member

GetResponse = Callable[[HttpRequest], HttpResponse]
_LAST_SEEN = "yiwang_last_seen"


def password_expired(user: User) -> bool:
    if user.must_change_password:
        return True
    max_age = settings.YIWANG_PASSWORD_MAX_AGE_DAYS
    if not max_age or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=max_age)


class StaffSessionMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not user_is_staff_member(user=user):
            return self.get_response(request)
        now = time.time()
        last_seen = request.session.get(_LAST_SEEN)
        idle_limit = settings.YIWANG_STAFF_IDLE_MINUTES * 60
        if last_seen is not None and now - float(last_seen) > idle_limit:
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(n)d minutes without activity.")
                % {"n": settings.YIWANG_STAFF_IDLE_MINUTES},
            )
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        # Written at most once a minute: the timeout needs no finer grain, and a session write on
        # every request would put a database write on every staff page.
        if last_seen is None or now - float(last_seen) >= 60:
            request.session[_LAST_SEEN] = now
        exempt = (reverse("accounts:password"), reverse("accounts:logout"))
        if password_expired(user) and request.path not in exempt and not request.path.startswith(("/static/", "/api/")):
            return redirect("accounts:password")
        return self.get_response(request)
