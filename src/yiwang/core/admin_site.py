"""The Django admin, opened by the permissions a role grants rather than by the is_staff flag."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class YiwangAdminSite(admin.AdminSite):
    site_header = _("Yiwang administration")
    site_title = _("Yiwang administration")
    index_title = _("Configuration")

    def has_permission(self, request: HttpRequest) -> bool:
        """Open to whoever holds a model permission: roles grant them (``accounts.roles.ROLE_PERMISSIONS``,
        through the authentication backend), so a role without any never sees the admin."""
        user = request.user
        return bool(user.is_active and (user.is_superuser or user.get_all_permissions()))

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        guarded_by_admin = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_logged_in_outsiders(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded_by_admin(request, *args, **kwargs)

        return cast(_View, refuse_logged_in_outsiders)

    def login(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> HttpResponse:
        """One login page for every face of the platform.

        Someone already logged in without an administrative role is refused here: sending them to
        the login page would bounce them straight back (a redirect loop).
        """
        from urllib.parse import urlencode

        if request.user.is_authenticated:
            raise PermissionDenied

        next_url = request.GET.get("next") or request.get_full_path()
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
