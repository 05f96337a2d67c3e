"""The hall's configuration: queue categories and the hall's policy (the centre administrator)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import ValidationFailed
from yiwang.hall.models import QueueCategory

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Hall


CATEGORY_FIELDS = ("name", "description", "is_open", "opens_at", "closes_at", "daily_quota", "service_minutes", "order")


@transaction.atomic
def queue_category_save(*, actor: User | None, hall: Hall, prefix: str, group_id: int, **fields: Any) -> QueueCategory:
    """Creates or changes the hall's category with this prefix (the centre administrator; ``None``:
    the system, e.g. the demo). Its windows must be of the same hall."""
    from yiwang.organisation.selectors import window_group_get

    if actor is not None:
        authorize(actor, {Role.CENTRE_ADMIN}, region=hall.centre.region)
    group = window_group_get(pk=group_id, hall=hall)
    if group is None:
        raise ValidationFailed(_("Choose a window group of this hall."), code="other_hall")
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    category = QueueCategory.objects.filter(hall=hall, prefix=prefix).first()
    before = {name: str(getattr(category, name)) for name in CATEGORY_FIELDS} if category else {}
    if category is None:
        category = QueueCategory(hall=hall, prefix=prefix)
    category.group = group
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    after = {name: str(getattr(category, name)) for name in CATEGORY_FIELDS}
    audit_record(
        actor=actor, action="hall.category_save", target=category,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )  # fmt: skip
    return category


POLICY_FIELDS = (
    "qr_rotate_seconds", "phone_daily_limit", "call_ahead", "booking_days_ahead", "release_time",
    "max_active_bookings", "no_show_limit", "no_show_window_days", "suspension_days", "check_in_early_minutes",
    "check_in_late_minutes",
)  # fmt: skip


@transaction.atomic
def hall_policy_save(*, actor: User | None, hall: Hall, **fields: Any) -> Any:
    """The hall's settings (the centre administrator of its area)."""
    from yiwang.hall.models import HallPolicy

    if actor is not None:
        authorize(actor, {Role.CENTRE_ADMIN}, region=hall.centre.region)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = HallPolicy.objects.select_for_update().filter(hall=hall).first() or HallPolicy(hall=hall)
    before = {name: str(getattr(policy, name)) for name in POLICY_FIELDS}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    after = {name: str(getattr(policy, name)) for name in POLICY_FIELDS}
    audit_record(
        actor=actor, action="hall.policy_save", target=policy,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )  # fmt: skip
    return policy
