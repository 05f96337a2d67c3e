"""The category tree and the dispatch catalogue (派单目录), kept by the centre's administrators."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import raise_problems
from yiwang.hotline.models import Category
from yiwang.hotline.services._common import authorize_at

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department, Region

CATALOGUE_ROLES = {Role.CENTRE_ADMIN}


@transaction.atomic
def category_upsert(
    *,
    actor: User | None,
    code: str,
    name: str,
    parent: Category | None = None,
    order: int = 0,
    time_limit_hours: int | None = None,
    active: bool = True,
) -> Category:
    """The category tree is kept by the centre's administrators."""
    if actor is not None:
        authorize_at(actor, CATALOGUE_ROLES, None)
    problems = []
    if not re.match(r"^[A-Z0-9]{2,20}$", code):
        problems.append(("code", _("Use 2–20 capital letters or digits.")))
    if not name.strip():
        problems.append(("name", _("This field is required.")))
    raise_problems(problems)
    category, _created = Category.objects.update_or_create(
        code=code,
        defaults={
            "name": name.strip(),
            "parent": parent,
            "order": order,
            "time_limit_hours": time_limit_hours,
            "active": active,
        },
    )
    audit_record(
        actor=actor, action="hotline.category_upsert", target=category, changes={"name": [None, category.name]}
    )
    return category


@transaction.atomic
def dispatch_rule_add(
    *,
    actor: User | None,
    category: Category,
    unit: Department,
    keywords: list[str] | None = None,
    region: Region | None = None,
    priority: int = 100,
) -> Any:
    """A line of the dispatch catalogue (派单目录), kept by the centre's administrators."""
    from yiwang.hotline.models import DispatchRule

    if actor is not None:
        authorize_at(actor, CATALOGUE_ROLES, region)
    rule = DispatchRule.objects.create(
        category=category,
        unit=unit,
        keywords=[k.strip() for k in keywords or [] if k.strip()],
        region=region,
        priority=priority,
    )
    audit_record(actor=actor, action="hotline.dispatch_rule_add", target=rule, changes={"unit": [None, unit.name]})
    return rule
