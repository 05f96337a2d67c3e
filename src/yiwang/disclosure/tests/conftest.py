from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from yiwang.accounts.choices import AccountKind
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import user_create
from yiwang.core.identifiers import credit_code_with_check, resident_id_with_check
from yiwang.disclosure import services
from yiwang.organisation.models import Department, Region


@pytest.fixture
def office(city: Region, make_user: Callable[..., User], settings: Any, tmp_path: Path) -> dict[str, Any]:
    """A body of the demo city with its disclosure office: two officers, the head, a supervisor of the
    region, a citizen and a company; a catalogue with one category."""
    settings.MEDIA_ROOT = tmp_path / "media"
    body, other = (Department.objects.filter(region=city).order_by("pk")[i] for i in (0, 1))
    officer = make_user(Role.DISCLOSURE_OFFICER, department=body)
    colleague = make_user(Role.DISCLOSURE_OFFICER, department=body)
    head = make_user(Role.DEPT_HEAD, department=body)
    supervisor = make_user(Role.SUPERVISOR, region=city)
    citizen = user_create(
        username="requester",
        password="Pa55word!Pa55word",
        full_name="张三",
        phone="13800138000",
        id_number=resident_id_with_check("11010519491231002"),
    )
    company = user_create(
        username="firm",
        password="Pa55word!Pa55word",
        kind=AccountKind.LEGAL_PERSON,
        full_name="示范律师事务所",
        credit_code=credit_code_with_check("91330100MA2B00007"),
        phone="13900139000",
    )
    category = services.category_create(actor=officer, body=body, name="政策文件")
    return {
        "body": body,
        "other_body": other,
        "officer": officer,
        "colleague": colleague,
        "head": head,
        "supervisor": supervisor,
        "citizen": citizen,
        "company": company,
        "category": category,
    }
