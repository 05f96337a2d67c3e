"""The centre administrator's screens for the hall: business categories and the hall's settings.
Saves go through the services (permission, validation, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.core.shell import acting_user
from yiwang.hall.models import HallPolicy, QueueCategory
from yiwang.hall.services import CATEGORY_FIELDS, POLICY_FIELDS, hall_policy_save, queue_category_save

ADMIN_ROLES = {Role.CENTRE_ADMIN, Role.SYSADMIN}


class _Scoped(admin.ModelAdmin):  # type: ignore[type-arg]
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_filter(
            super().get_queryset(request), request.user, ADMIN_ROLES, department_field=None,
            region_field="hall__centre__region",
        )  # fmt: skip


@admin.register(QueueCategory)
class QueueCategoryAdmin(_Scoped):
    list_display = ["prefix", "name", "hall", "group", "is_open", "opens_at", "closes_at", "daily_quota", "order"]
    list_filter = ["hall", "is_open"]
    list_select_related = ["hall__centre", "group__hall__centre"]
    fields = ["hall", "prefix", "group", *CATEGORY_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: QueueCategory | None = None) -> list[str]:
        return ["hall", "prefix"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: QueueCategory, form: Any, change: bool) -> None:
        saved = queue_category_save(
            actor=acting_user(request), hall=obj.hall, prefix=obj.prefix, group_id=obj.group_id,
            **{name: getattr(obj, name) for name in CATEGORY_FIELDS},
        )  # fmt: skip
        obj.pk = saved.pk


@admin.register(HallPolicy)
class HallPolicyAdmin(_Scoped):
    list_display = ["hall", "qr_rotate_seconds", "phone_daily_limit", "booking_days_ahead", "max_active_bookings"]
    fields = ["hall", *POLICY_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: HallPolicy | None = None) -> list[str]:
        return ["hall"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: HallPolicy, form: Any, change: bool) -> None:
        saved = hall_policy_save(
            actor=acting_user(request), hall=obj.hall, **{name: getattr(obj, name) for name in POLICY_FIELDS}
        )
        obj.pk = saved.pk
