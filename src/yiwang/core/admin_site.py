"""The Django admin, opened by role rather than by the is_staff flag."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class YiwangAdminSite(admin.AdminSite):
    site_header = _("Yiwang administration")
    site_title = _("Yiwang administration")
    index_title = _("Configuration")

    def has_permission(self, request: HttpRequest) -> bool:
        from yiwang.accounts.roles import ADMIN_SITE_ROLES
        from yiwang.accounts.selectors import user_has_role

        user = request.user
        return bool(user.is_active and (user.is_superuser or user_has_role(user=user, roles=ADMIN_SITE_ROLES)))

    def login(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> HttpResponse:
        """One login page for every face of the platform."""
        from urllib.parse import urlencode

        next_url = request.GET.get("next") or request.get_full_path()
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
