"""The workbench's navigation, pinned: every entry and every staff role's menu, whoever registers them.

Each context registers its own entries from its ``apps.py``; moving a registration must change
nothing a user sees (key, section, label, address, order, roles).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation

from yiwang.accounts.models import User
from yiwang.accounts.roles import STAFF_ROLES, Role
from yiwang.workbench.registry import nav_for

# key -> (section, label, address), in the menu's order.
ENTRIES: dict[str, tuple[str, str, str]] = {
    "home": ("概览", "我的待办", "/workbench/"),
    "messages": ("概览", "消息", "/notifications/"),
    "case-intake": ("办件", "窗口收件", "/workbench/cases/intake/"),
    "oversight-dashboard": ("电子监察", "政务服务效能", "/workbench/oversight/"),
    "cases": ("办件", "办件", "/workbench/cases/"),
    "oversight-cards": ("电子监察", "黄红牌", "/workbench/oversight/cards/"),
    "oversight-exceptions": ("电子监察", "异常清单", "/workbench/oversight/exceptions/"),
    "oversight-windows": ("电子监察", "窗口绩效考核", "/workbench/oversight/windows/"),
    "catalogue": ("政务服务事项", "实施清单管理", "/workbench/catalogue/"),
    "hall-desk": ("政务大厅", "窗口叫号", "/workbench/hall/"),
    "catalogue-statistics": ("政务服务事项", "事项目录统计", "/workbench/catalogue/statistics/"),
    "hall-tablet": ("政务大厅", "窗口评价器", "/workbench/evaluation/tablet/"),
    "evaluation-remediations": ("好差评", "差评整改", "/workbench/evaluation/"),
    "evaluation-ratings": ("好差评", "评价", "/workbench/evaluation/ratings/"),
    "licences": ("电子证照与数据共享", "已签发证照", "/licences/manage/"),
    "sharing": ("电子证照与数据共享", "数据共享", "/sharing/"),
    "hotline-intake": ("12345热线", "电话受理", "/workbench/hotline/"),
    "roles": ("管理", "角色管理", "/accounts/roles/"),
    "hotline-work": ("12345热线", "工单队列", "/workbench/hotline/work/"),
    "hotline-dashboard": ("12345热线", "指标看板", "/workbench/hotline/dashboard/"),
    "hotline-hotspots": ("12345热线", "热点分析与通报", "/workbench/hotline/hotspots/"),
    "hotline-calls": ("12345热线", "导入通话记录", "/workbench/hotline/calls/"),
    "hotline-replies": ("12345热线", "待公开的回复", "/workbench/hotline/replies/"),
    "trading": ("公共资源交易", "交易项目", "/workbench/trading/"),
    "disclosure": ("政府信息公开", "依申请公开与主动公开", "/workbench/disclosure/"),
    "organisation": ("管理", "行政区划与部门", "/admin/organisation/region/"),
    "organisation-import": ("管理", "从 Excel 导入", "/admin/organisation/region/import/"),
    "halls": ("管理", "大厅与窗口", "/admin/organisation/hall/"),
    "calendar": ("管理", "工作日历", "/admin/workcalendar/calendarday/"),
    "task-failures": ("管理", "失败的后台任务", "/admin/core/taskfailure/"),
    "admin": ("管理", "系统配置", "/admin/"),
    "api-docs": ("对接", "API 文档", "/api/v1/docs"),
}

NAV_BY_ROLE: dict[Role, list[str]] = {
    Role.CLERK: ["home", "messages", "case-intake", "cases", "hall-desk", "hall-tablet", "sharing", "api-docs"],
    Role.APPROVER: ["home", "messages", "cases", "licences", "sharing", "api-docs"],
    Role.DEPT_HEAD: [
        "home",
        "messages",
        "oversight-dashboard",
        "cases",
        "oversight-cards",
        "oversight-exceptions",
        "oversight-windows",
        "evaluation-remediations",
        "evaluation-ratings",
        "licences",
        "sharing",
        "api-docs",
    ],
    Role.DEPT_ADMIN: [
        "home",
        "messages",
        "oversight-dashboard",
        "oversight-cards",
        "oversight-exceptions",
        "oversight-windows",
        "catalogue",
        "catalogue-statistics",
        "evaluation-remediations",
        "evaluation-ratings",
        "licences",
        "sharing",
        "organisation",
        "admin",
        "api-docs",
    ],
    Role.CENTRE_ADMIN: [
        "home",
        "messages",
        "oversight-dashboard",
        "cases",
        "oversight-cards",
        "oversight-exceptions",
        "oversight-windows",
        "catalogue",
        "catalogue-statistics",
        "evaluation-remediations",
        "evaluation-ratings",
        "sharing",
        "organisation",
        "halls",
        "admin",
        "api-docs",
    ],
    Role.HOTLINE_AGENT: ["home", "messages", "sharing", "hotline-intake", "hotline-work", "api-docs"],
    Role.DISPATCHER: [
        "home",
        "messages",
        "sharing",
        "hotline-intake",
        "hotline-work",
        "hotline-dashboard",
        "hotline-hotspots",
        "api-docs",
    ],
    Role.HANDLER: [
        "home",
        "messages",
        "evaluation-remediations",
        "evaluation-ratings",
        "sharing",
        "hotline-work",
        "api-docs",
    ],
    Role.SUPERVISOR: [
        "home",
        "messages",
        "oversight-dashboard",
        "cases",
        "oversight-cards",
        "oversight-exceptions",
        "oversight-windows",
        "catalogue-statistics",
        "evaluation-remediations",
        "evaluation-ratings",
        "sharing",
        "hotline-work",
        "hotline-dashboard",
        "hotline-hotspots",
        "hotline-calls",
        "hotline-replies",
        "trading",
        "disclosure",
        "api-docs",
    ],
    Role.DISCLOSURE_OFFICER: ["home", "messages", "sharing", "disclosure", "api-docs"],
    Role.TRADING_OFFICER: ["home", "messages", "sharing", "trading", "api-docs"],
    Role.SYSADMIN: [
        "home",
        "messages",
        "organisation",
        "organisation-import",
        "halls",
        "calendar",
        "task-failures",
        "admin",
        "api-docs",
    ],
    Role.SECADMIN: ["home", "messages", "roles", "admin", "api-docs"],
    Role.AUDITOR: ["home", "messages", "api-docs"],
}


def test_every_staff_role_is_pinned() -> None:
    assert set(NAV_BY_ROLE) == set(STAFF_ROLES)
    assert {key for keys in NAV_BY_ROLE.values() for key in keys} == set(ENTRIES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(NAV_BY_ROLE, key=lambda r: r.value))
def test_each_role_sees_the_same_menu(role: Role, make_user: Callable[..., User]) -> None:
    with translation.override("zh-hans"):
        entries = [(e.key, str(e.section), str(e.label), e.url()) for e in nav_for(make_user(role))]
    assert [key for key, *_rest in entries] == NAV_BY_ROLE[role]
    assert {key: (section, label, url) for key, section, label, url in entries} == {
        key: ENTRIES[key] for key in NAV_BY_ROLE[role]
    }


def test_the_workbench_imports_no_business_context() -> None:
    """Contexts register their own entries; the workbench itself reaches only accounts and core."""
    allowed = {"yiwang.accounts", "yiwang.core", "yiwang.workbench"}
    root = Path(__file__).resolve().parents[1]
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found |= {".".join(n.split(".")[:2]) for n in names if n.startswith("yiwang.")}
    assert found <= allowed, sorted(found - allowed)
