from __future__ import annotations

import copy
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import RoleAssignment, User
from yiwang.accounts.rules import account_problems
from yiwang.accounts.services import may_administer_account, user_create, user_password_set, user_update
from yiwang.core.admin_services import ServiceAdminMixin, ServiceRulesForm, refused
from yiwang.core.errors import DomainError
from yiwang.core.fields import Problem
from yiwang.core.identifiers import normalise_credit_code
from yiwang.core.masking import mask_id_number, mask_phone
from yiwang.core.shell import acting_user


class AccountChangeForm(ServiceRulesForm, UserChangeForm):  # type: ignore[type-arg]
    class Meta(UserChangeForm.Meta):
        model = User

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return account_problems(
            username=self.value(data, "username"),
            full_name=self.value(data, "full_name"),
            kind=self.value(data, "kind"),
            email=self.value(data, "email"),
            credit_code=normalise_credit_code(self.value(data, "credit_code") or ""),
        )


class AccountCreationForm(ServiceRulesForm, AdminUserCreationForm):  # type: ignore[type-arg]
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "kind")

    def rules(self, data: dict[str, Any]) -> list[Problem]:
        return account_problems(
            username=self.value(data, "username"),
            full_name=self.value(data, "full_name"),
            kind=self.value(data, "kind"),
            email="",
            credit_code="",
        )


class AccountPasswordForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
    """The administrator's "set password" form, saved through ``accounts.services.user_password_set``."""

    actor: User

    @classmethod
    def acting_as(cls, actor: User) -> type[AccountPasswordForm]:
        return type(cls.__name__, (cls,), {"actor": actor})

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        saved = user_password_set(actor=self.actor, user=self.user, password=password)
        self.user = saved
        return saved


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "department", "region", "granted_by", "granted_at")
    readonly_fields = fields
    verbose_name_plural = _("Roles (granted by the security administrator)")

    # Roles change only through accounts.services.role_grant, which enforces 三员分立.
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(User)
class UserAdmin(ServiceAdminMixin, BaseUserAdmin[User]):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "full_name", "kind", "is_active", "last_login"]
    list_filter = ["kind", "is_active"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal information"),
            {"fields": ("full_name", "kind", "masked_id_number", "masked_phone", "credit_code", "email")},
        ),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "kind", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined", "masked_id_number", "masked_phone"]

    # Personal data is shown masked in the admin too; staff who need it in clear use the audited
    # reveal (accounts.services.personal_data_reveal).
    @admin.display(description=_("Resident ID number"))
    def masked_id_number(self, obj: User) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else "-"

    @admin.display(description=_("Mobile phone"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone) if obj.phone else "-"

    inlines = [RoleAssignmentInline]

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # The accounts of the security administrator and auditor are shown, not changed (三员分立).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_administer_account(actor=acting_user(request), user=obj))

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # cases, grants and the audit trail name the account: it is switched off, never deleted

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = acting_user(request)
        if change:
            saved = user_update(
                actor=actor,
                user=obj,
                username=obj.username,
                full_name=obj.full_name,
                kind=obj.kind,
                email=obj.email,
                credit_code=obj.credit_code,
                is_active=obj.is_active,
            )
        else:
            usable = form.cleaned_data.get("set_usable_password", True)
            saved = user_create(
                actor=actor,
                username=obj.username,
                password=form.cleaned_data.get("password1") if usable else None,
                kind=obj.kind,
                full_name=obj.full_name,
                must_change_password=usable,  # the administrator knows the password they typed
            )
        obj.pk = saved.pk

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's view builds ``change_password_form(user, data)`` and saves it; this request's copy of
        # the screen gives it a form that knows who acts, so the password goes through the service.
        screen = copy.copy(self)
        screen.change_password_form = AccountPasswordForm.acting_as(acting_user(request))
        try:
            return BaseUserAdmin.user_change_password(screen, request, id, form_url)
        except DomainError as refusal:
            return refused(request, refusal)
