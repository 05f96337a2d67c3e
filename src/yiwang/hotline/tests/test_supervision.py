"""Reminders, cards and supervision orders (济南 §28, 潍坊 §26), and the caller's rating by SMS link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail  # noqa: F401  (the SMS backend of the tests prints; nothing is sent)
from django.test import Client
from django.utils import timezone

from yiwang.hotline import services
from yiwang.hotline.models import Card, FollowUp, SupervisionOrder, Ticket, TicketStatus
from yiwang.hotline.supervision import cards_by_unit, supervise, supervision_order_answer
from yiwang.notifications.models import Notification

pytestmark = pytest.mark.django_db
INTAKE = {
    "kind": "complaint", "category_code": "CX0101", "description": "康宁里夜间施工噪音扰民",
    "region_code": "990102002", "caller_name": "王先生", "caller_phone": "13800138000", "channel": "phone",
}  # fmt: skip


def _dispatched(people, **changes) -> Ticket:  # type: ignore[no-untyped-def]
    ticket = services.ticket_create(actor=people["agent"], intake=services.Intake(**{**INTAKE, **changes}))
    return services.ticket_dispatch(actor=people["dispatcher"], ticket=ticket)


def test_a_ticket_near_its_due_time_gets_a_reminder_and_a_yellow_card_once(people) -> None:  # type: ignore[no-untyped-def]
    ticket = _dispatched(people)
    assert ticket.due_at is not None
    assert supervise(now=ticket.due_at - timedelta(days=3)).reminded == 0  # still far
    report = supervise(now=ticket.due_at - timedelta(hours=5))
    assert report.reminded == 1 and report.overdue == 0
    assert supervise(now=ticket.due_at - timedelta(hours=4)).reminded == 0  # not twice
    card = Card.objects.get(ticket=ticket)
    assert (card.colour, card.unit, card.due_at) == ("yellow", people["unit"], ticket.due_at)
    reminder = Notification.objects.get(recipient=people["street"])
    assert ticket.number in reminder.body and "请按时答复" in reminder.body
    assert ticket.events.filter(action="remind").count() == 1


def test_an_urgent_ticket_is_reminded_in_its_last_quarter(people) -> None:  # type: ignore[no-untyped-def]
    ticket = _dispatched(people, urgency="urgent")
    assert ticket.due_at is not None
    assert supervise(now=ticket.due_at - timedelta(minutes=45)).reminded == 0  # 2 h limit: the last 30 min
    assert supervise(now=ticket.due_at - timedelta(minutes=20)).reminded == 1


def test_an_overdue_ticket_gets_a_red_card_and_a_supervision_order_the_unit_answers(people) -> None:  # type: ignore[no-untyped-def]
    ticket = _dispatched(people)
    assert ticket.due_at is not None
    after = ticket.due_at + timedelta(minutes=1)
    assert supervise(now=after).overdue == 1
    assert supervise(now=after + timedelta(hours=1)).overdue == 0  # idempotent
    order = SupervisionOrder.objects.get(ticket=ticket)
    assert (order.reason, order.unit) == ("overdue", people["unit"])
    assert Card.objects.get(ticket=ticket).colour == "red"
    assert "红牌" in Notification.objects.filter(recipient=people["street"]).latest("pk").body
    with pytest.raises(Exception, match="写明"):
        supervision_order_answer(actor=people["street"], order=order, answer=" ")
    supervision_order_answer(actor=people["street"], order=order, answer="已到现场制止，明日答复")
    order.refresh_from_db()
    assert order.answered_at is not None
    rows = cards_by_unit(start=timezone.now() - timedelta(days=1), end=timezone.now() + timedelta(days=1))
    assert rows == [{"unit": "朝阳街道办事处", "yellow": 0, "red": 1}]


def test_an_extension_moves_the_due_time_so_a_new_card_can_come(people) -> None:  # type: ignore[no-untyped-def]
    ticket = _dispatched(people)
    assert ticket.due_at is not None
    supervise(now=ticket.due_at - timedelta(hours=2))
    request = services.extension_request(actor=people["street"], ticket=ticket, days=3, reason="需协调")
    services.extension_decide(actor=people["supervisor"], request=request, approve=True)
    ticket.refresh_from_db()
    assert ticket.due_at is not None
    assert supervise(now=ticket.due_at - timedelta(hours=2)).reminded == 1
    assert Card.objects.filter(ticket=ticket, colour="yellow").count() == 2


def test_a_caller_reporting_again_and_again_leads_to_a_supervision_order(people) -> None:  # type: ignore[no-untyped-def]
    for _n in range(3):
        ticket = services.ticket_create(actor=people["agent"], intake=services.Intake(**INTAKE))
        services.ticket_resolve(actor=people["agent"], ticket=ticket, answer="已告知") if _n < 2 else None
    services.ticket_dispatch(actor=people["dispatcher"], ticket=ticket)
    assert supervise().repeated == 1
    assert supervise().repeated == 0
    order = SupervisionOrder.objects.get(reason="repeated")
    assert order.ticket == ticket and "3" in order.note


def test_a_supervisor_orders_by_hand_and_the_unit_answers_on_the_page(people) -> None:  # type: ignore[no-untyped-def]
    ticket = _dispatched(people)
    supervisor, unit = Client(), Client()
    supervisor.force_login(people["supervisor"])
    unit.force_login(people["street"])
    page = f"/workbench/hotline/tickets/{ticket.number}/"
    supervisor.post(page + "supervise/", {"note": ""})
    assert not SupervisionOrder.objects.exists()
    supervisor.post(page + "supervise/", {"note": "请今日到现场核实"})
    assert SupervisionOrder.objects.get().reason == "manual"
    shown = unit.get(page).content.decode()
    assert "答复督办" in shown and "请今日到现场核实" in shown
    unit.post(page + "answer-order/", {"answer": "已核实，施工单位已停工"})
    assert SupervisionOrder.objects.get().answered_at is not None


def test_the_caller_rates_by_the_sms_link(people, capsys) -> None:  # type: ignore[no-untyped-def]
    ticket = _dispatched(people)
    services.ticket_sign(actor=people["street"], ticket=ticket)
    with pytest.MonkeyPatch.context() as patch:
        sent: list[tuple[str, str]] = []
        patch.setattr("yiwang.core.sms.sms_send", lambda *, phone, text: sent.append((phone, text)))
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            services.ticket_reply(actor=people["street"], ticket=ticket, answer="已责令停止夜间施工")
    assert len(sent) == 1 and sent[0][0] == "13800138000"
    link = sent[0][1].split("http://127.0.0.1:8000")[1].split()[0]
    assert link.startswith("/12345/rate/") and ticket.number in sent[0][1]
    public = Client()
    page = public.get(link)
    assert page.status_code == 200 and "已责令停止夜间施工" in page.content.decode()
    assert "13800138000" not in page.content.decode() and "王先生" not in page.content.decode()
    assert public.post(link, {"satisfaction": "", "solved": "no"}).status_code == 422
    done = public.post(link, {"satisfaction": "dissatisfied", "solved": "no", "note": "晚上还在施工"})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SIGNED  # back to be redone
    follow_up = FollowUp.objects.get(ticket=ticket)
    assert (follow_up.via, follow_up.satisfaction, follow_up.by) == ("sms", "dissatisfied", None)
    assert public.get(link).status_code == 404  # used up
    assert "感谢" in public.get(link + "?done=1").content.decode()
