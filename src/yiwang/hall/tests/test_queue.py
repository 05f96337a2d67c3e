"""Queueing: numbers, limits, the window's steps, the state table, estimates."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.db import transaction

from tests.workflow_walk import walk
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.hall import selectors, services
from yiwang.hall.models import QueueChannel, QueueEvent, QueueStatus, QueueTicket
from yiwang.hall.rules import hall_token, hall_token_valid, waiting_minutes
from yiwang.hall.tests.conftest import MORNING
from yiwang.hall.workflow import WORKFLOW

pytestmark = pytest.mark.django_db


def take(category: Any, clock: Any, **kwargs: Any) -> services.Taken:
    kwargs.setdefault("channel", QueueChannel.PHONE)
    return services.queue_take(category=category, now=clock(), **kwargs)


def test_numbers_per_category_and_day_with_prefix(cat: Any, clock: Any) -> None:
    first = take(cat["A"], clock, device="d1")
    second = take(cat["A"], clock, device="d2")
    other = take(cat["F"], clock, device="d1")
    assert [first.ticket.number, second.ticket.number, other.ticket.number] == ["A001", "A002", "F001"]
    assert second.ahead == 1 and first.ahead == 0
    clock(60 * 24)  # the next day starts again at 001
    assert take(cat["A"], clock, device="d1").ticket.number == "A001"


def test_closed_category_and_hours_are_refused_without_a_number(cat: Any, clock: Any) -> None:
    cat["A"].is_open = False
    cat["A"].save()
    with pytest.raises(Conflict) as closed:
        take(cat["A"], clock)
    assert closed.value.code == "category_closed" and "暂停取号" in str(closed.value.message)
    cat["F"].opens_at, cat["F"].closes_at = time(14, 0), time(17, 0)
    cat["F"].save()
    with pytest.raises(Conflict) as hours:
        take(cat["F"], clock)
    assert hours.value.code == "category_hours" and "14:00" in str(hours.value.message)
    assert not QueueTicket.objects.exists()


def test_daily_quota(cat: Any, clock: Any) -> None:
    cat["D"].daily_quota = 2
    cat["D"].save()
    take(cat["D"], clock, device="a")
    take(cat["D"], clock, device="b")
    with pytest.raises(Conflict) as full:
        take(cat["D"], clock, device="c")
    assert full.value.code == "quota_reached"
    assert QueueTicket.objects.filter(category=cat["D"]).count() == 2


def test_phone_limits_one_waiting_per_category_and_three_a_day(cat: Any, clock: Any) -> None:
    take(cat["A"], clock, device="me", phone="13800138000")
    with pytest.raises(Conflict) as again:
        take(cat["A"], clock, device="other", phone="13800138000")  # the same phone from another device
    assert again.value.code == "already_waiting"
    take(cat["B"], clock, device="me")
    take(cat["C"], clock, device="me")
    with pytest.raises(Conflict) as limit:
        take(cat["E"], clock, device="me")
    assert limit.value.code == "daily_limit"
    with pytest.raises(ValidationFailed):
        take(cat["E"], clock, device="new", phone="12345")


def test_kiosk_needs_a_clerk_of_the_area(cat: Any, clock: Any, clerks: Any, make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        take(cat["A"], clock, channel=QueueChannel.KIOSK, actor=make_user())
    taken = take(cat["A"], clock, channel=QueueChannel.KIOSK, actor=clerks[0])
    assert taken.ticket.channel == QueueChannel.KIOSK


def test_call_next_serves_priority_then_order_and_only_the_windows_group(
    cat: Any, clock: Any, clerks: Any, windows: Any
) -> None:
    a1 = take(cat["A"], clock, device="1").ticket
    take(cat["F"], clock, device="2")  # F is the 人社 group's: window A01 never calls it
    a2 = take(cat["A"], clock, device="3").ticket
    vip = services.queue_take(category=cat["A"], channel=QueueChannel.APPOINTMENT, priority=1, now=clock())
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    called = [services.queue_call_next(actor=clerks[0], now=clock())]
    services.queue_finish(actor=clerks[0], ticket=called[-1], now=clock())
    called.append(services.queue_call_next(actor=clerks[0], now=clock()))
    services.queue_no_show(actor=clerks[0], ticket=called[-1], now=clock())
    called.append(services.queue_call_next(actor=clerks[0], now=clock()))
    assert [t.pk for t in called] == [vip.ticket.pk, a1.pk, a2.pk]
    services.queue_finish(actor=clerks[0], ticket=called[-1], now=clock())
    with pytest.raises(NotFound) as empty:
        services.queue_call_next(actor=clerks[0], now=clock())
    assert empty.value.code == "queue_empty"


def test_one_number_at_a_window_and_only_on_duty(cat: Any, clock: Any, clerks: Any, windows: Any) -> None:
    take(cat["A"], clock, device="1")
    take(cat["A"], clock, device="2")
    with pytest.raises(Conflict) as off:
        services.queue_call_next(actor=clerks[0], now=clock())
    assert off.value.code == "not_on_duty"
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    services.queue_call_next(actor=clerks[0], now=clock())
    with pytest.raises(Conflict) as busy:
        services.queue_call_next(actor=clerks[0], now=clock())
    assert busy.value.code == "number_at_window"
    with pytest.raises(Conflict) as taken:
        services.duty_start(actor=clerks[1], window=windows["A01"], now=clock())
    assert taken.value.code == "window_taken"


def test_two_windows_never_call_the_same_number(cat: Any, clock: Any, clerks: Any, windows: Any) -> None:
    for n in range(3):
        take(cat["A"], clock, device=str(n))
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    services.duty_start(actor=clerks[1], window=windows["A02"], now=clock())
    first = services.queue_call_next(actor=clerks[0], now=clock())
    second = services.queue_call_next(actor=clerks[1], now=clock())
    assert first.pk != second.pk and {first.window_id, second.window_id} == {windows["A01"].pk, windows["A02"].pk}


def test_recall_start_finish_times_and_events(cat: Any, clock: Any, clerks: Any, windows: Any) -> None:
    ticket = take(cat["A"], clock, device="1").ticket
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    services.queue_call_next(actor=clerks[0], now=clock())
    recalled = services.queue_recall(actor=clerks[0], ticket=ticket, now=clock(2))
    assert recalled.recalls == 1 and recalled.called_at == clock.now
    with pytest.raises(PermissionDenied):
        services.queue_finish(actor=clerks[1], ticket=ticket, now=clock())
    services.queue_start(actor=clerks[0], ticket=ticket, now=clock())
    done = services.queue_finish(actor=clerks[0], ticket=ticket, now=clock(9))
    assert done.status == QueueStatus.DONE
    assert (done.finished_at - done.started_at).total_seconds() == 9 * 60
    assert list(QueueEvent.objects.filter(ticket=ticket).values_list("action", flat=True)) == [
        "take", "call", "recall", "start", "finish",
    ]  # fmt: skip


def test_transfer_waits_first_in_the_other_group(cat: Any, clock: Any, clerks: Any, windows: Any) -> None:
    take(cat["F"], clock, device="early")
    moved = take(cat["A"], clock, device="1").ticket
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    services.queue_call_next(actor=clerks[0], now=clock())
    services.queue_transfer(actor=clerks[0], ticket=moved, category=cat["F"], note="社保卡挂失")
    moved.refresh_from_db()
    assert (moved.status, moved.category_id, moved.window_id, moved.number) == (
        QueueStatus.WAITING, cat["F"].pk, None, "A001",
    )  # fmt: skip
    services.duty_start(actor=clerks[1], window=windows["F01"], now=clock())
    assert services.queue_call_next(actor=clerks[1], now=clock()).pk == moved.pk  # ahead of F001


def test_holder_cancels_only_while_waiting(cat: Any, clock: Any, clerks: Any, windows: Any) -> None:
    taken = take(cat["A"], clock, device="1")
    assert services.holder_ticket(taken.holder_token).pk == taken.ticket.pk
    services.queue_cancel(token=taken.holder_token)
    with pytest.raises(Conflict) as again:
        services.queue_cancel(token=taken.holder_token)
    assert again.value.code == "wrong_status"
    with pytest.raises(NotFound):
        services.holder_ticket("not-a-token")


def test_call_ahead_sms_once(
    cat: Any, clock: Any, clerks: Any, windows: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yiwang.core.sms import LocmemSmsBackend

    settings.YIWANG_SMS_BACKEND = "yiwang.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    for n in range(5):
        take(cat["A"], clock, device=str(n), phone=f"1380013800{n}")
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_call_next(actor=clerks[0], now=clock())
    # After A001 is called: A002..A005 are 0..3 ahead — all within call_ahead (3) get one SMS each.
    sent = [m.text for m in LocmemSmsBackend.outbox]
    assert len(sent) == 4 and "A005" in sent[-1] and "3" in sent[-1]
    assert QueueTicket.objects.filter(alerted=True).count() == 4


def test_every_status_and_step_of_the_table_through_the_services(
    cat: Any, clock: Any, clerks: Any, windows: Any
) -> None:
    """The queue's table walked completely, each step in a transaction rolled back after. Calling picks the
    waiting numbers only: from any other status there is nobody to call (queue_empty)."""
    clerk = clerks[0]
    services.duty_start(actor=clerk, window=windows["A01"], now=clock())
    steps = {
        "call": lambda t, token: services.queue_call_next(actor=clerk, now=clock()),
        "recall": lambda t, token: services.queue_recall(actor=clerk, ticket=t),
        "start": lambda t, token: services.queue_start(actor=clerk, ticket=t),
        "finish": lambda t, token: services.queue_finish(actor=clerk, ticket=t),
        "no_show": lambda t, token: services.queue_no_show(actor=clerk, ticket=t),
        "transfer": lambda t, token: services.queue_transfer(actor=clerk, ticket=t, category=cat["F"]),
        "cancel": lambda t, token: services.queue_cancel(token=token),
    }

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            try:
                taken = take(cat["A"], clock, device="walk")
                at_window = {} if action == "call" else {"window": windows["A01"], "clerk": clerk}
                QueueTicket.objects.filter(pk=taken.ticket.pk).update(status=status, **at_window)
                steps[action](QueueTicket.objects.get(pk=taken.ticket.pk), taken.holder_token)
                return QueueTicket.objects.get(pk=taken.ticket.pk).status
            finally:
                transaction.set_rollback(True)

    assert set(steps) == set(WORKFLOW.actions)
    walk(WORKFLOW, QueueStatus.values, run, code="wrong_status", codes={"call": "queue_empty"})


def test_board_estimates_from_measured_service_and_open_windows(
    hall: Any, cat: Any, clock: Any, clerks: Any, windows: Any
) -> None:
    services.duty_start(actor=clerks[0], window=windows["A01"], now=clock())
    for n in range(2):  # two served in 6 minutes each
        ticket = take(cat["A"], clock, device=f"s{n}").ticket
        services.queue_call_next(actor=clerks[0], now=clock())
        services.queue_start(actor=clerks[0], ticket=ticket, now=clock())
        services.queue_finish(actor=clerks[0], ticket=ticket, now=clock(6))
    for n in range(5):
        take(cat["A"], clock, device=f"w{n}")
    services.duty_start(actor=clerks[1], window=windows["A02"], now=clock())
    rows = {row.category.prefix: row for row in selectors.board(hall, now=clock())}
    assert rows["A"].waiting == 5 and rows["A"].windows_open == 2
    assert rows["A"].minutes_per_person == pytest.approx(6)
    assert rows["A"].estimate_minutes == 15  # 5 × 6 ÷ 2
    assert rows["B"].estimate_minutes == 0 and rows["B"].minutes_per_person == 15  # the default


def test_hall_token_rotates_and_accepts_the_previous_period() -> None:
    token = hall_token(7, MORNING, 300)
    assert hall_token_valid(7, token, MORNING, 300)
    from datetime import timedelta

    assert hall_token_valid(7, token, MORNING + timedelta(seconds=300), 300)
    assert not hall_token_valid(7, token, MORNING + timedelta(seconds=900), 300)
    assert not hall_token_valid(8, token, MORNING, 300)
    assert hall_token_valid(7, hall_token(7, MORNING, 0), MORNING + timedelta(days=30), 0)
    assert waiting_minutes(0, 10, 3) == 0 and waiting_minutes(7, 10, 0) == 70


def test_every_action_of_the_table_has_its_door() -> None:
    """The desk's steps on a number, calling the next one, and the holder's own cancel."""
    from yiwang.hall.views import DESK_STEPS

    assert (set(DESK_STEPS) - {"link"}) | {"call", "cancel"} == set(WORKFLOW.actions)
