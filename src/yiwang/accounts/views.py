"""Session login and logout for the portal, the workbench and the admin alike."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.accounts.forms import (
    CitizenRegistrationForm,
    CompanyRegistrationForm,
    LoginForm,
    PasswordChangeForm,
    _ServiceForm,
)
from yiwang.accounts.middleware import password_expired
from yiwang.accounts.selectors import acting_user, login_events_of, user_is_staff_member
from yiwang.accounts.services import citizen_register, company_register, password_change
from yiwang.core.errors import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if user_is_staff_member(user=self.request.user):
            return reverse("workbench:home")
        return reverse("portal:home")


class LogoutView(auth_views.LogoutView):
    next_page = "portal:home"


def register_choice(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_choice.html", {"nav": "register"})


def _register(request: HttpRequest, form_class: type[_ServiceForm], template: str, create: Any) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = create(form.cleaned_data)
        except DomainError as error:
            form.apply_errors(error)
        else:
            login(request, user, backend="yiwang.accounts.backends.IdentityBackend")
            messages.success(request, _("Your account has been registered."))
            return redirect("portal:home")
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"form": form, "nav": "register"}, status=status)


@require_http_methods(["GET", "POST"])
def register_citizen(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        CitizenRegistrationForm,
        "accounts/register_citizen.html",
        lambda data: citizen_register(
            full_name=data["full_name"], id_number=data["id_number"], phone=data["phone"], password=data["password"]
        ),
    )


@require_http_methods(["GET", "POST"])
def register_company(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        CompanyRegistrationForm,
        "accounts/register_company.html",
        lambda data: company_register(
            company_name=data["company_name"],
            credit_code=data["credit_code"],
            phone=data["phone"],
            password=data["password"],
        ),
    )


@login_required
@require_http_methods(["GET"])
def login_history(request: HttpRequest) -> HttpResponse:
    events = login_events_of(user=acting_user(request))[:50]
    return render(request, "accounts/history.html", {"events": events})


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as error:
            form.apply_errors(error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("workbench:home" if user_is_staff_member(user=user) else "portal:home")
    return render(
        request,
        "accounts/password.html",
        {"form": form, "forced": password_expired(user)},
        status=422 if request.method == "POST" else 200,
    )
