"""Who handles cases in these tests: the demo city's window, the market regulator's approver and head,
another department's approver, a citizen, and the administrators."""

from __future__ import annotations

import pytest

from yiwang.accounts.roles import Role
from yiwang.organisation.models import Department


@pytest.fixture
def people(make_user, city, demo_catalogue):  # type: ignore[no-untyped-def]
    market = Department.objects.get(short_name="市场监管局")
    return {
        "clerk": make_user(Role.CLERK, region=city),
        "approver": make_user(Role.APPROVER, department=market),
        "head": make_user(Role.DEPT_HEAD, department=market),
        "police_approver": make_user(Role.APPROVER, department=Department.objects.get(short_name="公安局")),
        "citizen": make_user(Role.CITIZEN),
        "centre_admin": make_user(Role.CENTRE_ADMIN, region=city),
        "sysadmin": make_user(Role.SYSADMIN, region=city),
    }
