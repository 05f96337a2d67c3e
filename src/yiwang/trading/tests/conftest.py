from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.organisation.models import Department, Region
from yiwang.trading import services
from yiwang.trading.models import KeyPurpose, ProjectKind
from yiwang.trading.tests.factories import keyed


@pytest.fixture
def centre(city: Region, make_user: Callable[..., User], settings: Any, tmp_path: Path) -> dict[str, Any]:
    """A trading centre in the demo city: housing supervises construction, finance tenders; five
    custodians with registered keys (the centre, the tenderer, the supervisor, two arbiters)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    housing, finance = (Department.objects.filter(region=city).order_by("pk")[i] for i in (0, 1))
    admin = make_user(Role.CENTRE_ADMIN, region=city)
    services.supervision_assign(actor=admin, region=city, kind=ProjectKind.CONSTRUCTION, department=housing)
    officer = make_user(Role.TRADING_OFFICER, region=city)
    supervisor = make_user(Role.SUPERVISOR, department=housing, region=city)
    tenderer = make_user(Role.DEPT_HEAD, department=finance)
    arbiters = [make_user() for _ in range(2)]
    return {
        "region": city,
        "supervisor_department": housing,
        "tenderer": finance,
        "officer": officer,
        "supervisor": supervisor,
        "custodians": [keyed(user, KeyPurpose.CUSTODIAN) for user in (officer, tenderer, supervisor, *arbiters)],
    }


@pytest.fixture
def procurement(centre: dict[str, Any], make_user: Callable[..., User]) -> dict[str, Any]:
    """The centre with its procurement supervised by the same department as its construction."""
    admin = make_user(Role.CENTRE_ADMIN, region=centre["region"])
    services.supervision_assign(
        actor=admin, region=centre["region"], kind=ProjectKind.PROCUREMENT, department=centre["supervisor_department"]
    )
    return centre
