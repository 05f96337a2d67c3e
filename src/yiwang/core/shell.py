"""The staff shell: who may open a staff page, and who is acting.

Every context's staff pages are guarded by ``staff_required`` and name the person behind the
request with ``acting_user``. Both live at the bottom so that any context — the auditor's pages in
``audit``, the inbox in ``notifications`` — can use them without importing the workbench (which
shows the navigation) or accounts (which knows the roles, through ``core.authz``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from yiwang.core.authz import user_has_role
from yiwang.core.errors import PermissionDenied as Refused
from yiwang.core.roles import STAFF_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yiwang.accounts.models import User

View = Callable[..., HttpResponse]


def user_is_staff_member(*, user: User | AnonymousUser) -> bool:
    """Whether the account holds a staff role (any role but citizen, company, expert and bidder)."""
    return user_has_role(user=user, roles=STAFF_ROLES)


def staff_required(view: View) -> View:
    """Logged in (else the login page), and a staff member (else the 403 page)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_is_staff_member(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def acting_user(request: HttpRequest) -> User:
    """The logged-in account behind a request that a login check has already guarded."""
    user = request.user
    if not isinstance(user, get_user_model()):
        raise PermissionDenied
    return user


def acting_user_with(request: HttpRequest, roles: Iterable[Role]) -> User:
    """The logged-in account behind a request, if it holds one of ``roles``; refused (the Chinese 403,
    audited) otherwise. Where the object's scope matters the services check it again."""
    user = acting_user(request)
    if not user_has_role(user=user, roles=roles):
        raise Refused()
    return user
