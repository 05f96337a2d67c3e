"""Session login and logout for the portal, the workbench and the admin alike."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse

from yiwang.accounts.selectors import user_is_staff_member


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if user_is_staff_member(user=self.request.user):
            return reverse("workbench:home")
        return reverse("portal:home")


class LogoutView(auth_views.LogoutView):
    next_page = "portal:home"
