"""The people of the hotline's tests: the centre's agent, dispatcher and supervisor over the demo city,
and officers of three handling units (a street office, the housing bureau, market supervision)."""

from __future__ import annotations

import pytest

from yiwang.accounts.roles import Role
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.organisation.models import Department


@pytest.fixture
def people(demo_city, make_user, city):  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())
    street = Department.objects.get(name="朝阳街道办事处")
    housing = Department.objects.get(short_name="住建局")
    return {
        "agent": make_user(Role.HOTLINE_AGENT, region=city),
        "dispatcher": make_user(Role.DISPATCHER, region=city),
        "supervisor": make_user(Role.SUPERVISOR, region=city),
        "street": make_user(Role.HANDLER, department=street),
        "unit": street,
        "housing": make_user(Role.HANDLER, department=housing),
        "housing_unit": housing,
        "market": make_user(Role.HANDLER, department=Department.objects.get(short_name="市场监管局")),
    }
