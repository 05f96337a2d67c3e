"""The hall's pages: the display, taking a number by phone, the holder's page, the kiosk and the desk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yiwang.hall.models import QueueStatus, QueueTicket
from yiwang.hall.rules import hall_token
from yiwang.hall.tests.conftest import MORNING

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(MORNING, tick=True):
        yield


def _take_url(hall: Any) -> str:
    return f"/hall/{hall.pk}/take/?k={hall_token(hall.pk, timezone.now(), 300)}"


def test_phone_takes_a_number_only_with_the_displays_code(client: Client, hall: Any, cat: Any) -> None:
    refused = client.get(f"/hall/{hall.pk}/take/?k=0000000000000000")
    assert refused.status_code == 403 and "二维码已过期" in refused.content.decode()
    page = client.get(_take_url(hall))
    assert page.status_code == 200 and "社会民生事务" in page.content.decode()
    response = client.post(_take_url(hall), {"category": cat["A"].pk, "phone": "13800138000"})
    assert response.status_code == 302 and response["Location"].startswith("/hall/q/")
    ticket = QueueTicket.objects.get()
    assert ticket.number == "A001" and ticket.device_digest and ticket.phone == "13800138000"
    holder = client.get(response["Location"])
    body = holder.content.decode()
    assert "A001" in body and "前面还有 0 人" in body and "138" not in body  # the phone is not shown back
    again = client.post(_take_url(hall), {"category": cat["A"].pk})  # the same phone (device cookie)
    assert again.status_code == 409 and "已有" in again.content.decode()
    assert QueueTicket.objects.count() == 1


def test_bad_input_on_the_phone_page(client: Client, hall: Any, cat: Any) -> None:
    nothing = client.post(_take_url(hall), {})
    assert nothing.status_code == 422 and "请选择业务类别" in nothing.content.decode()
    bad_phone = client.post(_take_url(hall), {"category": cat["A"].pk, "phone": "123"})
    assert bad_phone.status_code == 422 and "11 位手机号" in bad_phone.content.decode()
    cat["B"].is_open = False
    cat["B"].save()
    closed = client.post(_take_url(hall), {"category": cat["B"].pk})
    assert closed.status_code == 409 and "暂停取号" in closed.content.decode()
    assert not QueueTicket.objects.exists()


def test_holder_page_follows_the_call_and_cancels(
    client: Client, hall: Any, cat: Any, clerks: Any, windows: Any, login: Any
) -> None:
    from yiwang.hall import services

    first = client.post(_take_url(hall), {"category": cat["A"].pk})["Location"]
    other = Client()
    second = other.post(_take_url(hall), {"category": cat["A"].pk})["Location"]
    assert "前面还有 1 人" in other.get(second).content.decode()
    services.duty_start(actor=clerks[0], window=windows["A01"])
    services.queue_call_next(actor=clerks[0])
    status = client.get(first + "?part=status").content.decode()
    assert "请到 A01 号窗口" in status
    cancelled = other.post(second + "cancel/", follow=True)
    assert "已取消" in cancelled.content.decode()
    assert QueueTicket.objects.get(number="A002").status == QueueStatus.CANCELLED


def test_display_and_board_show_calls_windows_and_waiting(
    client: Client, hall: Any, cat: Any, clerks: Any, windows: Any
) -> None:
    from yiwang.hall import services

    for n in range(3):
        services.queue_take(category=cat["A"], channel="phone", device=str(n))
    services.duty_start(actor=clerks[0], window=windows["A01"])
    services.queue_call_next(actor=clerks[0])
    page = client.get(f"/hall/{hall.pk}/display/")
    body = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 3s"' in body and "<svg" in body
    board = client.get(f"/hall/{hall.pk}/display/board/")
    text = board.content.decode()
    assert board["Cache-Control"] == "no-store"
    assert 'data-testid="latest-number">A001<' in text and 'data-waiting="A">2<' in text
    assert 'data-window="A01">A01 · A001<' in text
    assert "请A001号到A01号窗口办理" in text  # what the screen speaks


def test_desk_signs_on_calls_serves_transfers_and_links_a_case(
    client: Client, hall: Any, cat: Any, clerks: Any, windows: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    from yiwang.hall import services

    services.queue_take(category=cat["A"], channel="phone", device="1")
    services.queue_take(category=cat["A"], channel="phone", device="2")
    desk = login(clerks[0])
    assert (
        "选择窗口" in desk.get("/workbench/hall/").content.decode()
        or "上岗" in desk.get("/workbench/hall/").content.decode()
    )
    desk.post("/workbench/hall/duty/", {"window": windows["A01"].pk})
    desk.post("/workbench/hall/act/call/")
    with django_assert_max_num_queries(30):
        page = desk.get("/workbench/hall/")
    assert 'data-testid="current-number">A001<' in page.content.decode()
    ticket = QueueTicket.objects.get(number="A001")
    desk.post("/workbench/hall/act/transfer/", {"ticket": ticket.pk, "category": cat["F"].pk, "note": "社保"})
    assert QueueTicket.objects.get(pk=ticket.pk).category_id == cat["F"].pk
    desk.post("/workbench/hall/act/call/")
    second = QueueTicket.objects.get(number="A002")
    desk.post("/workbench/hall/act/finish/", {"ticket": second.pk})
    missing = desk.post("/workbench/hall/act/link/", {"ticket": second.pk, "case_number": "NO-SUCH"}, follow=True)
    assert "NO-SUCH" in missing.content.decode()
    assert not QueueTicket.objects.get(pk=second.pk).cases.exists()
    off = desk.post("/workbench/hall/duty/", {"action": "end"}, follow=True)
    assert "选择" in off.content.decode() or "上岗" in off.content.decode()


def test_kiosk_prints_a_slip_with_the_holders_code(
    client: Client, hall: Any, cat: Any, clerks: Any, login: Any
) -> None:
    kiosk = login(clerks[0])
    page = kiosk.get(f"/workbench/hall/kiosk/{hall.pk}/")
    assert page.status_code == 200 and "社会民生事务" in page.content.decode()
    response = kiosk.post(f"/workbench/hall/kiosk/{hall.pk}/", {"category": cat["E"].pk})
    slip = kiosk.get(response["Location"])
    assert 'data-testid="slip-number">E001<' in slip.content.decode() and "<svg" in slip.content.decode()
    assert kiosk.get(response["Location"])["Location"].endswith(f"/kiosk/{hall.pk}/")  # shown once


def test_staff_pages_refuse_other_roles(client: Client, hall: Any, make_user: Any, login: Any, city: Any) -> None:
    from yiwang.accounts.roles import Role

    other = login(make_user(Role.HOTLINE_AGENT, region=city))
    assert other.get("/workbench/hall/").status_code == 403
    assert other.get(f"/workbench/hall/kiosk/{hall.pk}/").status_code == 403


def _citizen(n: int = 1) -> Any:
    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.services import user_create

    return user_create(username=f"c{n}", password="Pass-word-2026!", kind=AccountKind.NATURAL_PERSON, full_name="市民")


def test_book_list_cancel_and_check_in_on_the_phone(client: Client, hall: Any, cat: Any) -> None:
    from datetime import time

    from yiwang.hall import appointments as ap
    from yiwang.hall.models import Appointment, AppointmentSlot

    ap.slot_plan_save(actor=None, category=cat["A"], start=time(10, 30), end=time(11, 30), capacity=1)
    ap.slots_generate()
    slot = AppointmentSlot.objects.get(category=cat["A"], day=MORNING.date(), start=time(10, 30))
    assert client.get(f"/hall/{hall.pk}/book/").status_code == 302  # log in first
    client.force_login(_citizen())
    page = client.get(f"/hall/{hall.pk}/book/").content.decode()
    assert f'data-left="{slot.pk}">1<' in page
    booked = client.post(f"/hall/{hall.pk}/book/", {"slot": slot.pk}, follow=True).content.decode()
    code = Appointment.objects.get().code
    assert f"预约码为 {code}" in booked and code in booked
    other = Client()
    other.force_login(_citizen(2))
    full = other.post(f"/hall/{hall.pk}/book/", {"slot": slot.pk})
    assert full.status_code == 409 and "已约满" in full.content.decode()
    # 10:00 is within the half hour before 10:30: the take page offers check-in, which gives a number.
    take_page = client.get(_take_url(hall)).content.decode()
    assert "签到：社会民生事务 10:30" in take_page
    appointment = Appointment.objects.get()
    checked = client.post(_take_url(hall), {"appointment": appointment.pk})
    assert checked.status_code == 302 and checked["Location"].startswith("/hall/q/")
    assert "A001" in client.get(checked["Location"]).content.decode()
    mine = client.get("/hall/appointments/").content.decode()
    assert "已签到" in mine and "A001" in mine


def test_cancel_and_kiosk_check_in_by_code(client: Client, hall: Any, cat: Any, clerks: Any) -> None:
    from datetime import time

    from yiwang.hall import appointments as ap
    from yiwang.hall.models import Appointment, AppointmentSlot

    ap.slot_plan_save(actor=None, category=cat["E"], start=time(10, 15), end=time(11), capacity=3)
    ap.slots_generate()
    slot = AppointmentSlot.objects.get(category=cat["E"], day=MORNING.date())
    me = _citizen()
    first = ap.appointment_book(actor=me, slot=slot)
    client.force_login(me)
    cancelled = client.post(f"/hall/appointments/{first.pk}/cancel/", follow=True).content.decode()
    assert "号源已释放" in cancelled
    second = ap.appointment_book(actor=me, slot=slot)
    kiosk = Client()
    kiosk.force_login(clerks[0])
    wrong = kiosk.post(f"/workbench/hall/kiosk/{hall.pk}/", {"code": "ZZZZZZZZ"}, follow=True)
    assert "没有预约码为 ZZZZZZZZ 的预约" in wrong.content.decode()
    slip = kiosk.post(f"/workbench/hall/kiosk/{hall.pk}/", {"code": second.code.lower()}, follow=True)
    assert 'data-testid="slip-number">E001<' in slip.content.decode()
    assert Appointment.objects.get(pk=second.pk).status == "checked_in"
