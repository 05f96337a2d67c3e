"""12345 on the web (issue 21): a citizen raises a request logged in or with a phone proved by an SMS
code, follows it on 我的诉求, says it is not solved (redone, as the follow-up does) and rates it; the reply
is published without the caller's details only after review; bad input refused with nothing half-saved."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.files import image_bytes, pdf_bytes
from yiwang.audit.models import AuditRecord
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.core.sms import LocmemSmsBackend
from yiwang.hotline import services
from yiwang.hotline.models import PhoneChallenge, PublishedReply, ReplyStatus, Ticket, TicketStatus

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
TEXT = "康宁里小区门口路灯坏了一个多月，晚上很黑，老人出门不方便"


@pytest.fixture(autouse=True)
def sms(settings: Any) -> list[Any]:
    settings.YIWANG_SMS_BACKEND = "yiwang.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    cache.clear()
    return LocmemSmsBackend.outbox


def code_for(phone: str, purpose: str = "submit") -> str:
    services.phone_code_send(phone=phone, purpose=purpose)
    return re.search(r"(\d{6})", LocmemSmsBackend.outbox[-1].text).group(1)  # type: ignore[union-attr]


def web(**changes: Any) -> services.WebRequest:
    values: dict[str, Any] = {
        "kind": "help", "category_code": "SZ0101", "description": TEXT, "address": "康宁里东门",
        "region_code": "990102002", "phone": PHONE, "publish_consent": True,
    }  # fmt: skip
    values.update(changes)
    return services.WebRequest(**values)


def photo(name: str = "lamp.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else image_bytes("JPEG"), content_type="image/jpeg")


def test_without_an_account_the_phone_is_proved_by_its_code(people: dict[str, Any]) -> None:
    code = code_for(PHONE)
    assert PHONE not in str(AuditRecord.objects.filter(action="hotline.sms_code").values_list("changes", flat=True))
    ticket = services.web_ticket_submit(actor=None, request=web(sms_code=code), photos=[photo()])
    assert ticket.channel == "web" and ticket.status == TicketStatus.NEW and ticket.publish_consent
    assert ticket.caller_phone == PHONE and ticket.caller_account is None and ticket.attachments.count() == 1
    with pytest.raises(ValidationFailed) as used:  # a code serves once
        services.web_ticket_submit(actor=None, request=web(sms_code=code))
    assert used.value.code == "sms_code" and Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"category_code": ""}, "category"),
        ({"category_code": "SZ"}, "category"),  # a group, not a leaf
        ({"kind": "gossip"}, "kind"),
        ({"phone": "12345"}, "phone"),
        ({"description": "路灯\u202e坏了很久了"}, "description"),
        ({"region_code": "000000"}, "region"),
    ],
)
def test_bad_requests_are_refused_whole(people: dict[str, Any], change: dict[str, Any], field: str) -> None:
    code = code_for(PHONE)
    with pytest.raises(ValidationFailed) as refused:
        services.web_ticket_submit(actor=None, request=web(sms_code=code, **change))
    assert field in {e["field"] for e in refused.value.details["errors"]}
    assert not Ticket.objects.exists()
    assert PhoneChallenge.objects.get().used_at is None  # the code is still good for the corrected form


@pytest.mark.parametrize(
    "photos",
    [
        [SimpleUploadedFile("doc.pdf", pdf_bytes(), content_type="application/pdf")],
        [SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg")],
        [SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")],
        [photo(f"p{i}.jpg") for i in range(4)],
    ],
)
def test_photos_of_the_wrong_kind_or_too_large_are_refused(people: dict[str, Any], photos: list[Any]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.web_ticket_submit(actor=None, request=web(sms_code=code_for(PHONE)), photos=photos)
    assert {e["field"] for e in refused.value.details["errors"]} == {"photos"}
    assert not Ticket.objects.exists()


def test_a_wrong_or_expired_code_is_refused_and_tries_are_counted(people: dict[str, Any]) -> None:
    code = code_for(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationFailed) as refused:
            services.web_ticket_submit(actor=None, request=web(sms_code=wrong))
        assert refused.value.code == "sms_code"
    with pytest.raises(ValidationFailed):  # five wrong tries end the code, even the right one
        services.web_ticket_submit(actor=None, request=web(sms_code=code))
    assert not Ticket.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        fresh = code_for(PHONE)
    with time_machine.travel(timezone.now() + timedelta(minutes=8)), pytest.raises(ValidationFailed) as late:
        services.web_ticket_submit(actor=None, request=web(sms_code=fresh))
    assert "失效" in late.value.details["errors"][0]["message"]


def test_codes_are_limited_per_phone(people: dict[str, Any]) -> None:
    services.phone_code_send(phone=PHONE, purpose="submit")
    with pytest.raises(Conflict) as wait:
        services.phone_code_send(phone=PHONE, purpose="submit")
    assert wait.value.code == "sms_wait"
    start = timezone.now()
    for minutes in range(2, 10, 2):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            services.phone_code_send(phone=PHONE, purpose="submit")
    with time_machine.travel(start + timedelta(minutes=12)), pytest.raises(Conflict) as limited:
        services.phone_code_send(phone=PHONE, purpose="submit")
    assert limited.value.code == "sms_limit" and PhoneChallenge.objects.count() == 5


def test_a_staff_account_raises_nothing_here(people: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.web_ticket_submit(actor=people["agent"], request=web())


def test_the_loop_not_solved_redone_rated_and_published_after_review(people: dict[str, Any]) -> None:
    code = code_for(PHONE)
    ticket = services.web_ticket_submit(actor=None, request=web(sms_code=code, caller_name="王芳"))
    services.ticket_dispatch(actor=people["dispatcher"], ticket=ticket, unit=people["unit"])
    services.ticket_sign(actor=people["street"], ticket=ticket)
    services.ticket_reply(actor=people["street"], ticket=ticket, answer="已安排维修，王芳女士来电13912345678已告知。")
    proved = services.phone_prove(phone=PHONE, code=code_for(PHONE, "follow"))
    with pytest.raises(NotFound):  # someone else's phone
        services.web_ticket_rate(actor=None, phone_proved="x" * 64, ticket=ticket, solved=False, note="没修好")
    with pytest.raises(ValidationFailed):  # not solved needs what is left
        services.web_ticket_rate(actor=None, phone_proved=proved, ticket=ticket, solved=False, note="")
    redone = services.web_ticket_rate(actor=None, phone_proved=proved, ticket=ticket, solved=False, note="灯还是不亮")
    assert redone.status == TicketStatus.SIGNED and not PublishedReply.objects.exists()
    services.ticket_reply(
        actor=people["street"], ticket=ticket, answer="更换了灯杆线路，已恢复照明。联系人王芳，康宁里5号。"
    )
    closed = services.web_ticket_rate(
        actor=None, phone_proved=proved, ticket=ticket, solved=True, satisfaction="satisfied"
    )
    assert closed.status == TicketStatus.CLOSED
    pending = PublishedReply.objects.get()
    assert pending.status == ReplyStatus.PENDING
    for text in (pending.question, pending.answer):
        assert "王芳" not in text and PHONE not in text and "5号" not in text
    with pytest.raises(ValidationFailed) as left:  # the reviewer typed a phone back in
        services.reply_review(
            actor=people["supervisor"], reply=pending, decision="publish", title="路灯不亮",
            question=pending.question, answer=pending.answer + " 咨询电话 0571-87654321",
        )  # fmt: skip
    assert left.value.details["errors"][0]["field"] == "answer"
    with pytest.raises(PermissionDenied):
        services.reply_review(
            actor=people["street"], reply=pending, decision="publish", title="路灯不亮",
            question=pending.question, answer=pending.answer,
        )  # fmt: skip
    published = services.reply_review(
        actor=people["supervisor"], reply=pending, decision="publish", title="康宁里路灯不亮",
        question=pending.question, answer=pending.answer,
    )  # fmt: skip
    assert published.status == ReplyStatus.PUBLISHED and published.published_at is not None


def test_scrubbing_and_the_check_agree() -> None:
    text = "张伟 身份证11010519491231002X，手机 139 1234 5678，住幸福路12号3栋2单元501室，座机(0571)8765-4321"
    clean = services.scrubbed(text, names=("张伟",))
    assert not services.personal_data_left(clean, names=("张伟",))
    assert services.personal_data_left(text, names=("张伟",)) == ["phone_or_id", "house_number", "name"]
    assert not services.personal_data_left("2026年3月起，12345热线受理量增长20%")


def test_the_portal_pages_anonymous_and_logged_in(client: Client, people: dict[str, Any]) -> None:
    from yiwang.accounts.services import user_create
    from yiwang.core.identifiers import resident_id_with_check

    demo_citizen = user_create(
        username="web-citizen", password="Pa55word!Pa55word", full_name="李明", phone="13711112222",
        id_number=resident_id_with_check("11010519491231003"),
    )  # fmt: skip
    page = client.get("/12345/new/").content.decode()
    assert 'name="sms_code"' in page and 'name="photos"' in page
    suggestion = client.get("/12345/new/categories/", {"description": "路灯坏了晚上很黑"})
    assert suggestion.status_code == 200 and 'data-testid="suggested"' in suggestion.content.decode()
    assert client.post("/12345/code/", {"phone": PHONE, "purpose": "submit"}).status_code == 200
    code = re.search(r"(\d{6})", LocmemSmsBackend.outbox[-1].text).group(1)  # type: ignore[union-attr]
    form = {
        "kind": "help", "category": "SZ0101", "description": TEXT, "district": "990102", "street": "990102002",
        "phone": PHONE, "sms_code": code, "publish": "yes",
    }  # fmt: skip
    refused = client.post("/12345/new/", {**form, "description": ""})
    assert refused.status_code == 422 and not Ticket.objects.exists()
    made = client.post("/12345/new/", {**form, "photos": [photo()]})
    ticket = Ticket.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/12345/mine/{ticket.number}/"
    mine = client.get(made["Location"]).content.decode()
    assert ticket.number in mine and 'data-testid="steps"' in mine
    assert client.get(f"/12345/mine/{ticket.number}/photos/{ticket.attachments.get().pk}/").status_code == 200
    stranger = Client()
    assert stranger.get(f"/12345/mine/{ticket.number}/").status_code == 302  # to prove a phone first
    assert stranger.get(f"/12345/mine/{ticket.number}/photos/{ticket.attachments.get().pk}/").status_code == 404
    other = Client()
    other.force_login(demo_citizen)
    assert other.get(f"/12345/mine/{ticket.number}/").status_code == 404
    logged = other.post("/12345/new/", {**form, "sms_code": "", "phone": ""})
    assert logged.status_code == 302
    assert Ticket.objects.filter(caller_account=demo_citizen).count() == 1
    assert client.get("/12345/answers/", {"q": "路灯"}).status_code == 200
    assert client.get("/12345/").status_code == 200


def test_every_status_and_step_of_the_publishing_table(people: dict[str, Any]) -> None:
    """回复公开's table walked through its services: review (published or not) from pending, withdraw."""
    from django.db import transaction

    from tests.workflow_walk import walk
    from yiwang.hotline.workflow import PUBLISHING

    ticket = services.web_ticket_submit(actor=None, request=web(sms_code=code_for(PHONE)))
    ticket.answer, ticket.status = "已修复。", TicketStatus.CLOSED
    ticket.save()
    reply = services.reply_propose(ticket)
    assert reply is not None

    def run(status: str, action: str, aim: str | None) -> str:
        with transaction.atomic():
            PublishedReply.objects.filter(pk=reply.pk).update(status=status)
            try:
                if action == "review":
                    decision = "reject" if aim == ReplyStatus.REJECTED else "publish"
                    done = services.reply_review(
                        actor=people["supervisor"], reply=reply, decision=decision, title="路灯",
                        question="路灯不亮", answer="已修复。", note="重复" if decision == "reject" else "",
                    )  # fmt: skip
                else:
                    done = services.reply_withdraw(actor=people["supervisor"], reply=reply, note="已过时")
                return done.status
            finally:
                transaction.set_rollback(True)

    walk(PUBLISHING, ReplyStatus.values, run, code="transition_not_allowed")


@pytest.mark.django_db(transaction=True)
def test_wrong_tries_at_the_follow_code_are_counted_and_end_it(people: dict[str, Any]) -> None:
    """Found by an outsider: the tries were rolled back with the refusal, so the five-try limit never bit."""
    code = code_for(PHONE, "follow")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            services.phone_prove(phone=PHONE, code=wrong)
    assert PhoneChallenge.objects.get().attempts == 5
    with pytest.raises(ValidationFailed):
        services.phone_prove(phone=PHONE, code=code)


def test_one_number_however_it_is_typed(people: dict[str, Any]) -> None:
    """Full-width or other scripts' digits are the same number: one digest, one limit, one 我的诉求."""
    services.phone_code_send(phone="139１２３４５６７８", purpose="submit")
    with pytest.raises(Conflict):
        services.phone_code_send(phone="139 1234 5678", purpose="submit")
    code = re.search(r"(\d{6})", LocmemSmsBackend.outbox[-1].text).group(1)  # type: ignore[union-attr]
    ticket = services.web_ticket_submit(actor=None, request=web(sms_code=code, phone="１３９-1234-5678"))
    assert ticket.caller_phone == PHONE and ticket.caller_phone_digest == services.phone_digest(PHONE)


def test_an_account_without_a_mobile_proves_the_number_it_gives(people: dict[str, Any], make_user: Any) -> None:
    from yiwang.accounts.services import user_create
    from yiwang.core.identifiers import resident_id_with_check

    citizen = user_create(
        username="no-phone", password="Pa55word!Pa55word", full_name="赵六",
        id_number=resident_id_with_check("11010519491231004"),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        services.web_ticket_submit(actor=citizen, request=web(phone="13800001111", sms_code=""))
    assert refused.value.code == "sms_code" and not Ticket.objects.exists()
    ticket = services.web_ticket_submit(
        actor=citizen, request=web(phone="13800001111", sms_code=code_for("13800001111"))
    )
    assert ticket.caller_account == citizen


@pytest.mark.parametrize(("lat", "long"), [("nan", "120"), ("30", "NaN"), ("snan", "1"), ("Infinity", "120")])
def test_coordinates_that_are_no_number_are_refused(people: dict[str, Any], lat: str, long: str) -> None:
    with pytest.raises(ValidationFailed):
        services.web_ticket_submit(actor=None, request=web(sms_code=code_for(PHONE), latitude=lat, longitude=long))


@pytest.mark.parametrize(
    "text",
    [
        "电话１３９１２３４５６７８",
        "已联系（139.1234.5678）",
        "139  1234  5678",
        "139\u30001234\u30005678",
        "139－1234－5678",
        "139—1234—5678",
        "一三九一二三四五六七八",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105  19491231  002X",
        "邮箱wf@example.com",
        "微信号 wangfang88",
        "wxid_abc123",
        "车牌浙A12345",
        "住幸福路12 号",
        "12號",
        "12-3-501",
        "12#楼",
        "王 芳",
        "小王",
        "王女士",
        "QQ号123456789",
    ],
)
def test_the_publish_check_finds_what_an_outsider_slipped_past_it(text: str) -> None:
    assert services.personal_data_left(text, names=("王芳",)), text
    assert not services.personal_data_left(services.scrubbed(text, names=("王芳",)), names=("王芳",)), text


def test_dates_and_figures_are_no_personal_data() -> None:
    for text in ("2026年3月起，12345热线受理量增长20%", "已于2025-11-12修复，2025.11.13复查", "第3次回访，王府井大街"):
        assert not services.personal_data_left(text, names=("王芳",)), text
        assert services.scrubbed(text, names=("王芳",)) == text


def test_proving_a_phone_gives_the_session_a_new_key(client: Client, people: dict[str, Any]) -> None:
    client.get("/12345/mine/")
    before = client.session.session_key
    code = code_for(PHONE, "follow")
    assert client.post("/12345/mine/", {"phone": PHONE, "sms_code": code}).status_code == 302
    assert client.session.session_key != before


def test_the_code_button_shows_its_refusal(client: Client, people: dict[str, Any]) -> None:
    """htmx swaps only 2xx answers: a refusal comes back as 200 with the message in the fragment."""
    answer = client.post("/12345/code/", {"phone": "123", "purpose": "follow"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "11位" in answer.content.decode()
    assert client.post("/12345/code/", {"phone": "123", "purpose": "follow"}).status_code == 422
