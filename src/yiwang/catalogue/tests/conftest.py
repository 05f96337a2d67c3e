"""Fixtures of the catalogue's tests: the people of the lifecycle and a base item to implement."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.accounts.roles import Role
from yiwang.catalogue import services
from yiwang.catalogue.models import BaseItem, ImplementationVersion, ItemType, Level, ProcessStep
from yiwang.organisation.models import Department, Region

COMPLETE = {
    "conditions": "在本市从事食品销售的经营者",
    "legal_basis": "《中华人民共和国食品安全法》第三十五条",
    "handling_place": "示范市政务服务中心 C01-C03 号窗口",
    "statutory_limit": 20,
    "promised_limit": 5,
    "visits": 0,
    "service_objects": ["企业法人"],
    "channels": ["window", "online"],
    "online_depth": [1, 2, 3, 4, 5, 6],
    "result_type": "licence",
}


@pytest.fixture
def people(make_user, city: Region):  # type: ignore[no-untyped-def]
    market = Department.objects.get(short_name="市场监管局")
    return {
        "market": market,
        "dept_admin": make_user(Role.DEPT_ADMIN, department=market, region=city),
        "other_dept_admin": make_user(
            Role.DEPT_ADMIN, department=Department.objects.get(short_name="公安局"), region=city
        ),
        "centre_admin": make_user(Role.CENTRE_ADMIN, region=city),
        "district_centre_admin": make_user(Role.CENTRE_ADMIN, region=Region.objects.get(code="990102")),
    }


@pytest.fixture
def base_item() -> BaseItem:
    return BaseItem.objects.create(base_code="000120123000", name="食品经营许可", item_type=ItemType.LICENSING)


def draft(people: dict[str, Any], base_item: BaseItem, **extra: Any) -> ImplementationVersion:
    version = services.implementation_draft_create(
        actor=people["dept_admin"],
        base_item=base_item,
        department=people["market"],
        level=Level.CITY,
        name="食品经营许可（新办）",
        **{**COMPLETE, **extra},
    )
    ProcessStep.objects.create(version=version, order=1, name="受理", performer=Role.CLERK, working_days=1)
    ProcessStep.objects.create(version=version, order=2, name="审查决定", performer=Role.APPROVER, working_days=4)
    return version
