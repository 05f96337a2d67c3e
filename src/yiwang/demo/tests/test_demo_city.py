"""The demo city 示范市 (issue: platform foundation, item 7)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from yiwang.accounts.models import RoleAssignment, User
from yiwang.accounts.roles import Role
from yiwang.core.errors import PermissionDenied
from yiwang.demo.city import DEMO_ACCOUNTS, demo_city_load
from yiwang.organisation.models import Department, Hall, Region, RegionLevel, Window, WindowGroup, WindowKind

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Region, Department, Hall, WindowGroup, Window, User, RoleAssignment)
    )


def test_the_demo_city_has_what_the_reports_name() -> None:
    demo_city_load()
    assert Region.objects.filter(level=RegionLevel.DISTRICT).count() == 3
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() == 6
    names = set(Department.objects.values_list("short_name", flat=True))
    assert {
        "公安局",
        "人社局",
        "税务局",
        "市场监管局",
        "住建局",
        "自然资源局",
        "卫健委",
        "民政局",
        "教育局",
        "交通运输局",
        "政数局",
        "财政局",
    } == names
    groups = {g.name: g for g in WindowGroup.objects.select_related("department")}
    general = [g for g in groups.values() if g.kind == WindowKind.GENERAL]
    assert sorted(g.name[:5] for g in general) == ["投资建设类", "注册登记类", "社会民生类", "经营许可类"]
    assert groups["税务专项窗口"].department.short_name == "税务局"  # type: ignore[union-attr]


def test_loading_twice_adds_nothing() -> None:
    demo_city_load()
    before = _counts()
    summary = demo_city_load()
    assert summary.accounts_created == 0
    assert _counts() == before


def test_there_is_one_demo_account_per_role(settings) -> None:  # type: ignore[no-untyped-def]
    demo_city_load()
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(settings.YIWANG_DEMO_PASSWORD)
        assert list(user.role_assignments.values_list("role", flat=True)) == [account.role]


def test_the_issue_names_are_used() -> None:
    usernames = {a.username for a in DEMO_ACCOUNTS}
    assert {
        "demo-citizen",
        "demo-company",
        "demo-clerk",
        "demo-approver",
        "demo-dept-admin",
        "demo-centre-admin",
        "demo-agent",
        "demo-dispatcher",
        "demo-handler",
        "demo-supervisor",
        "demo-sysadmin",
        "demo-secadmin",
        "demo-auditor",
    } <= usernames


@override_settings(PRODUCTION=True)
def test_demo_accounts_are_never_created_in_production() -> None:
    with pytest.raises(PermissionDenied):
        demo_city_load()
    assert not User.objects.exists()
