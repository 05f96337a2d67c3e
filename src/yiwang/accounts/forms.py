"""Portal forms; every rule lives in the services, whose errors are put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from yiwang.core.errors import DomainError, NotAuthenticated


class _ServiceForm(forms.Form):
    def apply_errors(self, error: DomainError) -> None:
        for item in error.details.get("errors", []):
            field = item.get("field")
            self.add_error(field if field in self.fields else None, item.get("message", str(error.message)))
        if not error.details.get("errors"):
            self.add_error(None, str(error.message))


class CitizenRegistrationForm(_ServiceForm):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=30)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, max_length=128)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class CompanyRegistrationForm(_ServiceForm):
    company_name = forms.CharField(label=_("Company name"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    phone = forms.CharField(label=_("Mobile phone of the person in charge"), max_length=20)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, max_length=128)

    clean = CitizenRegistrationForm.clean


class LoginForm(AuthenticationForm):
    """Django's login form, with lockout and the record of every attempt (accounts.login)."""

    def clean(self) -> dict[str, Any]:
        from yiwang.accounts.login import AccountLocked, login_attempt

        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_attempt(request=self.request, login=username, password=password)
            except AccountLocked as locked:
                raise forms.ValidationError(str(locked.message), code="account_locked") from locked
            except NotAuthenticated as refused:
                raise self.get_invalid_login_error() from refused
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(_ServiceForm):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput, max_length=128)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, max_length=128)
    new_password_again = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, max_length=128)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords differ."))
        return data


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=8, min_length=6)


class AgentForm(_ServiceForm):
    agent = forms.CharField(label=_("The agent's ID number or mobile number"), max_length=30)
    items = forms.CharField(
        label=_("Service item codes (leave empty for all items)"),
        max_length=500,
        required=False,
        help_text=_("Separate several codes with commas."),
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
