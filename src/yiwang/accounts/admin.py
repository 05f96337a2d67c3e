from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import RoleAssignment, User
from yiwang.core.masking import mask_id_number, mask_phone


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
class UserAdmin(BaseUserAdmin[User]):
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
