"""Personal data masked by default; revealed only to roles that need it, each view audited."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.roles import Role
from yiwang.accounts.services import citizen_register, personal_data_reveal
from yiwang.audit.models import AuditRecord
from yiwang.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


@pytest.fixture
def citizen():  # type: ignore[no-untyped-def]
    return citizen_register(full_name="张三", id_number=ID, phone="13812345678", password="Kx9-long-pass")


def test_the_profile_shows_identity_masked(client: Client, citizen) -> None:  # type: ignore[no-untyped-def]
    client.force_login(citizen)
    content = client.get("/accounts/profile/").content.decode()
    assert "110105********002X" in content
    assert "138****5678" in content
    assert ID not in content
    assert "13812345678" not in content


def test_a_clerk_may_reveal_with_a_purpose_and_it_is_audited(make_user, citizen) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.CLERK, username="clerk")
    assert personal_data_reveal(actor=clerk, subject=citizen, field="id_number", purpose="窗口核验身份") == ID
    record = AuditRecord.objects.get(action="personal_data.reveal")
    assert record.actor_name == "clerk"
    assert record.changes == {"field": [None, "id_number"], "purpose": [None, "窗口核验身份"]}


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SUPERVISOR, Role.CITIZEN])
def test_other_roles_may_not(make_user, citizen, role: Role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        personal_data_reveal(actor=make_user(role), subject=citizen, field="phone", purpose="好奇")
    assert not AuditRecord.objects.filter(action="personal_data.reveal").exists()


def test_a_purpose_is_required(make_user, citizen) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        personal_data_reveal(actor=make_user(Role.CLERK), subject=citizen, field="phone", purpose=" ")


def test_the_admin_shows_personal_data_masked(client: Client, citizen, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.SYSADMIN))
    content = client.get(f"/admin/accounts/user/{citizen.pk}/change/").content.decode()
    assert "110105********002X" in content
    assert ID not in content
    assert "13812345678" not in content
