"""The hall side's admin screens write through the services (issue 17, defect 7).

Each screen is posted as an administrator would: the change is saved, the audit trail names the
administrator, and a bad value is refused on the re-rendered form in Chinese with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord
from yiwang.demo.city import demo_credit_code
from yiwang.organisation.models import (
    Department,
    Hall,
    Region,
    RegionLevel,
    ServiceCentre,
    Window,
    WindowGroup,
    WindowKind,
    WindowTheme,
)
from yiwang.organisation.services import (
    centre_ensure,
    department_upsert,
    hall_ensure,
    region_upsert,
    window_group_ensure,
    windows_ensure,
)

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "此项含有不允许的字符"


def too_long(n: int) -> str:
    """The form field's own length check answers first (Django's Chinese), as the service's would."""
    return f"不超过 {n} 字符"


@pytest.fixture
def place() -> dict[str, Any]:
    city, _ = region_upsert(actor=None, code="990100", name="示范市", level=RegionLevel.CITY, parent=None)
    police, _ = department_upsert(actor=None, credit_code=demo_credit_code(1), name="公安局", region=city)
    services, _ = department_upsert(actor=None, credit_code=demo_credit_code(2), name="政务服务局", region=city)
    centre = centre_ensure(actor=None, name="示范市政务服务中心", region=city, department=services, phone="0999-12345")
    hall = hall_ensure(actor=None, centre=centre, name="综合服务大厅", location="一楼")
    group = window_group_ensure(actor=None, hall=hall, theme=WindowTheme.POLICE, name="公安窗口", department=police)
    (window,) = windows_ensure(actor=None, group=group, numbers=["A1"])
    return {
        "city": city,
        "police": police,
        "services": services,
        "centre": centre,
        "hall": hall,
        "group": group,
        "window": window,
    }


def _inline(prefix: str, rows: list[dict[str, Any]], initial: int) -> dict[str, Any]:
    """The management form and rows of an inline formset, as the admin page posts them."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def _audited(action: str, target: Any, actor: User) -> AuditRecord:
    record = AuditRecord.objects.get(action=action, object_id=str(target.pk), actor_id=actor.pk)
    assert record.actor_id == actor.pk
    assert record.actor_name == actor.username
    return record


def _centre_form(place: dict[str, Any], **changes: Any) -> dict[str, Any]:
    centre, hall = place["centre"], place["hall"]
    form = {
        "name": centre.name,
        "region": place["city"].pk,
        "department": place["services"].pk,
        "address": "市民大道 1 号",
        "phone": "0999-12345",
        "opening_hours": "周一至周五",
        **_inline("halls", [{"id": hall.pk, "centre": centre.pk, "name": hall.name, "location": hall.location}], 1),
    }
    form.update(changes)
    return form


def test_service_centre_admin_saves_through_the_service_and_audits(
    place: dict[str, Any], make_user: Callable[..., User], login: Callable[[User], Client]
) -> None:
    """Defect 7: ServiceCentreAdmin (and its halls) saved without a service or audit."""
    sysadmin = make_user(Role.SYSADMIN, region=place["city"])
    client = login(sysadmin)
    url = f"/admin/organisation/servicecentre/{place['centre'].pk}/change/"

    response = client.post(url, _centre_form(place, name="示范市民中心", **{"halls-0-location": "二楼"}))

    assert response.status_code == 302
    centre = ServiceCentre.objects.get(pk=place["centre"].pk)
    assert (centre.name, centre.address) == ("示范市民中心", "市民大道 1 号")
    assert Hall.objects.get(pk=place["hall"].pk).location == "二楼"
    record = _audited("organisation.centre_update", centre, sysadmin)
    assert record.changes["name"] == ["示范市政务服务中心", "示范市民中心"]
    assert _audited("organisation.hall_update", place["hall"], sysadmin).changes == {"location": ["一楼", "二楼"]}


def test_a_new_service_centre_and_its_hall_are_created_through_the_services(
    place: dict[str, Any], make_user: Callable[..., User], login: Callable[[User], Client]
) -> None:
    """Defect 7: ServiceCentreAdmin saved without a service or audit — the add form too."""
    sysadmin = make_user(Role.SYSADMIN, region=place["city"])
    form = {
        "name": "城东分中心",
        "region": place["city"].pk,
        "department": place["services"].pk,
        "address": "",
        "phone": "",
        "opening_hours": "",
        **_inline("halls", [{"name": "分中心大厅", "location": ""}], 0),
    }

    response = login(sysadmin).post("/admin/organisation/servicecentre/add/", form)

    assert response.status_code == 302
    centre = ServiceCentre.objects.get(name="城东分中心")
    _audited("organisation.centre_create", centre, sysadmin)
    _audited("organisation.hall_create", centre.halls.get(), sysadmin)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "示范\x01中心"}, NOT_ALLOWED),
        ({"opening_hours": "周" * 201}, too_long(200)),
        ({"phone": "call us"}, "请输入由数字组成的电话号码"),
        ({"halls-0-name": "大" * 101}, too_long(100)),
    ],
)
def test_service_centre_admin_refuses_a_bad_value_in_chinese(
    place: dict[str, Any],
    make_user: Callable[..., User],
    login: Callable[[User], Client],
    changes: dict[str, Any],
    message: str,
) -> None:
    """Defect 7: ServiceCentreAdmin saved without a service or audit — and without the field rules."""
    client = login(make_user(Role.SYSADMIN, region=place["city"]))

    url = f"/admin/organisation/servicecentre/{place['centre'].pk}/change/"
    response = client.post(url, _centre_form(place, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ServiceCentre.objects.get(pk=place["centre"].pk).name == "示范市政务服务中心"
    assert Hall.objects.get(pk=place["hall"].pk).name == "综合服务大厅"
    assert not AuditRecord.objects.filter(action__startswith="organisation.").exclude(actor_id=None).exists()


def _hall_form(place: dict[str, Any], **changes: Any) -> dict[str, Any]:
    hall, group = place["hall"], place["group"]
    row = {"id": group.pk, "hall": hall.pk, "name": group.name, "theme": group.theme, "department": place["police"].pk}
    form = {"name": hall.name, "location": hall.location, **_inline("groups", [row], 1)}
    form.update(changes)
    return form


def test_hall_admin_saves_through_the_service_and_audits(
    place: dict[str, Any], make_user: Callable[..., User], login: Callable[[User], Client]
) -> None:
    """Defect 7: HallAdmin (and its window groups) saved without a service or audit."""
    centre_admin = make_user(Role.CENTRE_ADMIN, region=place["city"])
    client = login(centre_admin)

    response = client.post(
        f"/admin/organisation/hall/{place['hall'].pk}/change/",
        _hall_form(place, name="民生服务大厅", **{"groups-0-name": "公安专窗"}),
    )

    assert response.status_code == 302
    assert Hall.objects.get(pk=place["hall"].pk).name == "民生服务大厅"
    assert WindowGroup.objects.get(pk=place["group"].pk).name == "公安专窗"
    assert _audited("organisation.hall_update", place["hall"], centre_admin).changes == {
        "name": ["综合服务大厅", "民生服务大厅"]
    }
    _audited("organisation.window_group_update", place["group"], centre_admin)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"location": "一\x01楼"}, NOT_ALLOWED),
        ({"name": "厅" * 101}, too_long(100)),
        ({"groups-0-name": "公安\x01窗口"}, NOT_ALLOWED),
        ({"groups-0-department": ""}, "专项窗口分组必须指定所属部门。"),
    ],
)
def test_hall_admin_refuses_a_bad_value_in_chinese(
    place: dict[str, Any],
    make_user: Callable[..., User],
    login: Callable[[User], Client],
    changes: dict[str, Any],
    message: str,
) -> None:
    """Defect 7: HallAdmin saved without a service or audit — and without the field rules."""
    client = login(make_user(Role.CENTRE_ADMIN, region=place["city"]))

    response = client.post(f"/admin/organisation/hall/{place['hall'].pk}/change/", _hall_form(place, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    hall, group = Hall.objects.get(pk=place["hall"].pk), WindowGroup.objects.get(pk=place["group"].pk)
    assert (hall.name, hall.location, group.name) == ("综合服务大厅", "一楼", "公安窗口")
    assert not AuditRecord.objects.filter(action__startswith="organisation.").exclude(actor_id=None).exists()


def _group_form(place: dict[str, Any], rows: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    group, window = place["group"], place["window"]
    existing = {"id": window.pk, "group": group.pk, "number": window.number, "is_active": "on"}
    form = {
        "name": group.name,
        "theme": group.theme,
        "department": place["police"].pk,
        **_inline("windows", [existing, *(rows or [])], 1),
    }
    form.update(changes)
    return form


def test_window_group_admin_saves_the_group_and_its_windows_through_the_services(
    place: dict[str, Any], make_user: Callable[..., User], login: Callable[[User], Client]
) -> None:
    """Defect 7: WindowGroupAdmin with its windows saved without a service or audit."""
    centre_admin = make_user(Role.CENTRE_ADMIN, region=place["city"])
    client = login(centre_admin)
    form = _group_form(place, [{"number": "A2", "is_active": "on"}], name="公安专窗")
    del form["windows-0-is_active"]  # window A1 leaves service

    response = client.post(f"/admin/organisation/windowgroup/{place['group'].pk}/change/", form)

    assert response.status_code == 302
    assert WindowGroup.objects.get(pk=place["group"].pk).name == "公安专窗"
    assert Window.objects.get(pk=place["window"].pk).is_active is False
    added = Window.objects.get(group=place["group"], number="A2")
    _audited("organisation.window_group_update", place["group"], centre_admin)
    assert _audited("organisation.window_update", place["window"], centre_admin).changes == {"is_active": [True, False]}
    _audited("organisation.window_create", added, centre_admin)


@pytest.mark.parametrize(
    ("rows", "changes", "message"),
    [
        ([], {"name": "公安\x01窗口"}, NOT_ALLOWED),
        ([{"number": "A" * 11, "is_active": "on"}], {}, too_long(10)),
        ([{"number": "A\x013", "is_active": "on"}], {}, NOT_ALLOWED),
        ([], {"theme": WindowTheme.REGISTRATION}, "综合窗口分组服务所有部门，请不要选择部门。"),
    ],
)
def test_window_group_admin_refuses_a_bad_value_in_chinese(
    place: dict[str, Any],
    make_user: Callable[..., User],
    login: Callable[[User], Client],
    rows: list[dict[str, Any]],
    changes: dict[str, Any],
    message: str,
) -> None:
    """Defect 7: WindowGroupAdmin with its windows saved without a service or audit — and without the field rules."""
    client = login(make_user(Role.CENTRE_ADMIN, region=place["city"]))

    response = client.post(
        f"/admin/organisation/windowgroup/{place['group'].pk}/change/", _group_form(place, rows, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    group = WindowGroup.objects.get(pk=place["group"].pk)
    assert (group.name, group.theme, group.kind) == ("公安窗口", WindowTheme.POLICE, WindowKind.SPECIAL)
    assert list(Window.objects.values_list("number", flat=True)) == ["A1"]
    assert not AuditRecord.objects.filter(action__startswith="organisation.").exclude(actor_id=None).exists()


def test_a_refusal_only_the_service_makes_is_a_message_and_nothing_is_saved(
    place: dict[str, Any], make_user: Callable[..., User], login: Callable[[User], Client]
) -> None:
    """Defect 7: the service authorises the actor; out of their region the whole save is rolled back."""
    elsewhere, _ = region_upsert(actor=None, code="990200", name="邻市", level=RegionLevel.CITY, parent=None)
    client = login(make_user(Role.CENTRE_ADMIN, region=elsewhere))
    form = {
        "hall": place["hall"].pk,
        "name": "税务窗口",
        "theme": WindowTheme.TAXATION,
        "department": place["police"].pk,
        **_inline("windows", [{"number": "T1", "is_active": "on"}], 0),
    }

    response = client.post("/admin/organisation/windowgroup/add/", form, follow=True)

    assert response.status_code == 200
    assert "您没有执行此操作的权限。" in response.content.decode()
    assert not WindowGroup.objects.filter(theme=WindowTheme.TAXATION).exists()
    assert not Window.objects.filter(number="T1").exists()


@pytest.mark.parametrize("model", ["servicecentre", "hall", "windowgroup"])
def test_centres_halls_and_window_groups_are_kept_not_deleted(
    place: dict[str, Any], make_user: Callable[..., User], login: Callable[[User], Client], model: str
) -> None:
    """Defect 7: deleting would cut the history cases and tickets keep, so the screens do not delete."""
    target = {"servicecentre": place["centre"], "hall": place["hall"], "windowgroup": place["group"]}[model]
    client = login(make_user(Role.SYSADMIN, region=place["city"]))

    assert client.post(f"/admin/organisation/{model}/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(target).objects.filter(pk=target.pk).exists()
    assert Department.objects.count() == 2 and Region.objects.count() == 1
