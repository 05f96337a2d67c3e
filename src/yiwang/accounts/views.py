"""Session login and logout for the portal, the workbench and the admin alike."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.accounts.agents import agent_authorise, agent_revoke, authorisations_given, principals_of
from yiwang.accounts.forms import (
    AgentForm,
    CitizenRegistrationForm,
    CompanyRegistrationForm,
    LoginForm,
    OneTimeCodeForm,
    PasswordChangeForm,
    _ServiceForm,
)
from yiwang.accounts.login import AccountLocked, login_locked, second_factor_failed
from yiwang.accounts.middleware import password_expired
from yiwang.accounts.models import TotpDevice, User
from yiwang.accounts.selectors import login_events_of
from yiwang.accounts.services import citizen_register, company_register, password_change
from yiwang.accounts.two_factor import (
    confirmed_device,
    qr_svg,
    totp_confirm,
    totp_enrol,
    totp_verify,
    two_factor_needed,
    two_factor_required,
)
from yiwang.core.errors import DomainError
from yiwang.core.shell import acting_user, user_is_staff_member


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Password right: log in now, or first ask for the one-time code (two-factor accounts)."""
        user = form.get_user()
        if not two_factor_needed(user):
            return super().form_valid(form)
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_NEXT] = self.get_success_url()
        self.request.session[PENDING_SINCE] = time.time()
        return redirect("accounts:login-2fa")

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


PENDING_USER, PENDING_NEXT, PENDING_SINCE = "yiwang_2fa_user", "yiwang_2fa_next", "yiwang_2fa_since"
PENDING_SECONDS = 300


def _pending_user(request: HttpRequest) -> User | None:
    since = request.session.get(PENDING_SINCE)
    if since is None or time.time() - float(since) > PENDING_SECONDS:
        return None
    pending = request.session.get(PENDING_USER)
    return User.objects.filter(pk=pending, is_active=True).first() if isinstance(pending, int) else None


@require_http_methods(["GET", "POST"])
def login_two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of the login: the code, or, for an administrator without one yet, enrolment."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    confirmed = confirmed_device(user)
    enrolling = confirmed is None
    device = totp_enrol(user=user) if confirmed is None else confirmed
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if login_locked(login=user.get_username()):
            form.add_error("code", str(AccountLocked(settings.YIWANG_LOCKOUT_MINUTES).message))
        else:
            accepted = True
            try:
                if enrolling:
                    totp_confirm(user=user, code=code)
                else:
                    accepted = totp_verify(user=user, code=code)
            except DomainError:
                accepted = False
            if accepted:
                next_url = request.session.get(PENDING_NEXT) or reverse("portal:home")
                login(request, user, backend="yiwang.accounts.backends.IdentityBackend")
                return redirect(next_url)
            second_factor_failed(request=request, user=user)
            form.add_error("code", _("The code is wrong or has expired; enter the current 6-digit code."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context.update({"qr": mark_safe(qr_svg(device)), "secret": device.secret})  # noqa: S308 (segno's own SVG)
    return render(request, "accounts/login_2fa.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Anyone may turn on two-factor login; administrators must have it."""
    user = acting_user(request)
    device = confirmed_device(user)
    form = OneTimeCodeForm(request.POST or None)
    pending = None
    if device is None:
        pending = totp_enrol(user=user) if request.method == "GET" else TotpDevice.objects.filter(user=user).first()
        if request.method == "POST" and form.is_valid() and pending is not None:
            try:
                totp_confirm(user=user, code=form.cleaned_data["code"])
            except DomainError as error:
                form.add_error("code", str(error.message))
            else:
                messages.success(request, _("Two-factor login is on."))
                return redirect("accounts:two-factor")
    context = {
        "device": device,
        "required": two_factor_required(user),
        "form": form,
        "qr": mark_safe(qr_svg(pending)) if pending else "",  # noqa: S308 (segno's own SVG)
        "secret": pending.secret if pending else "",
    }
    return render(request, "accounts/two_factor.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "assignments": user.role_assignments.select_related("department", "region"),
            "two_factor": confirmed_device(user) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agents(request: HttpRequest) -> HttpResponse:
    """The principal's agents, and the people this account acts for."""
    user = acting_user(request)
    form = AgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent_authorise(
                principal=user,
                agent_login=data["agent"],
                items=data["items"].replace("，", ",").split(","),
                valid_until=data["valid_until"],
                note=data["note"],
            )
        except DomainError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("The agent has been authorised."))
            return redirect("accounts:agents")
    return render(
        request,
        "accounts/agents.html",
        {
            "form": form,
            "given": authorisations_given(principal=user),
            "acting_for": principals_of(agent=user),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def agent_revoke_view(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    agent_revoke(principal=acting_user(request), authorisation_id=authorisation_id)
    messages.success(request, _("The authorisation has been revoked."))
    return redirect("accounts:agents")
