"""The demo's requests (依申请公开), each a story through the services: received on the portal in the
account's own name or entered from a visit, a letter or a fax (with its scan), then what its clock went
through — a correction asked within 7 working days and made or let lapse (§30), a third party or another
body consulted (§32, §34), the head's extension (§33), a fee notice by count paid or let lapse (国办函〔2020〕
109号) — and the reply with its outcome and ground, always by its due date; then the appeals against it."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core import pdf
from yiwang.core.identifiers import credit_code_with_check, resident_id_with_check
from yiwang.demo.disclosure.asks import REQUESTERS, AppealSpec, Ask
from yiwang.demo.disclosure.content import Office
from yiwang.demo.disclosure.scene import Scene
from yiwang.demo.disclosure.timeline import Story
from yiwang.disclosure import services
from yiwang.disclosure.choices import (
    AppealKind,
    AppealOutcome,
    ConsultedParty,
    Delivery,
    FeeMethod,
    ItemStatus,
    Outcome,
    RequestChannel,
    RequesterKind,
)
from yiwang.disclosure.models import Appeal, DisclosureRequest, ProactiveItem

CORRECTION = "请明确所需政府信息的名称、文号或者便于查询的其他特征性描述。"


def identity(first17: str, kind: str) -> str:
    if kind == RequesterKind.NATURAL_PERSON:
        return resident_id_with_check(first17)
    return credit_code_with_check(first17)


def letter_pdf(name: str, description: str, received: date, channel: str) -> bytes:
    """The scan of what arrived: the application form as the requester filled it in."""
    buffer = io.BytesIO()
    doc = pdf.document(buffer, "政府信息公开申请表")
    how = "传真" if channel == RequestChannel.FAX else "信函"
    doc.build(
        [
            pdf.paragraph("政府信息公开申请表", "notice_title"),
            pdf.paragraph(f"申请人：{name}", "letter"),
            pdf.paragraph(f"所需政府信息的内容描述：{description}", "letter"),
            pdf.paragraph("获取信息的方式：纸质文本，邮寄", "letter"),
            pdf.paragraph(f"申请人（签名或者盖章）：{name}", "right"),
            pdf.paragraph(f"{received.year}年{received.month}月{received.day}日（{how}）", "right"),
        ]
    )
    return buffer.getvalue()


def ask_story(scene: Scene, office: Office, ask: Ask, received: date, *, lag: int = 10) -> Story:
    """One request from its arrival on ``received``; the reply ``lag`` working days after the clock last
    (re)started, at most 16 so that it is on time whatever paused it."""
    days = scene.days
    requester = REQUESTERS[ask.who]
    description = ask.description.format(last=received.year - 1, year=received.year)
    body = scene.body(office)
    officer = office.officer
    story = scene.timeline.story()
    made: dict[str, DisclosureRequest] = {}

    def arrive() -> None:
        if requester.account:
            account = scene.user(requester.account)
            made["request"] = services.request_submit(
                actor=account, body=body, description=description, delivery=ask.delivery, phone=requester.phone,
                address=requester.address, purpose=ask.purpose,
                requester_kind="" if requester.kind == RequesterKind.NATURAL_PERSON else requester.kind,
            )  # fmt: skip
        else:
            letter = None
            if ask.channel in (RequestChannel.LETTER, RequestChannel.FAX):
                content = letter_pdf(requester.name, description, received, ask.channel)
                letter = SimpleUploadedFile(f"{ask.channel}-scan.pdf", content, content_type="application/pdf")
            made["request"] = services.request_enter(
                actor=scene.user(officer), body=body, channel=ask.channel, requester_kind=requester.kind,
                requester_name=requester.name, identity_number=identity(requester.identity, requester.kind),
                phone=requester.phone, address=requester.address, description=description, delivery=ask.delivery,
                received_on=received, purpose=ask.purpose, letter=letter,
            )  # fmt: skip
        scene.made["requests"] += 1

    hour = 10 if ask.channel != RequestChannel.ONLINE else 8 + (received.toordinal() * 7) % 13
    story.then(received, hour, arrive)
    act = scene.user(officer)

    def request() -> DisclosureRequest:
        return made["request"]

    restart = received
    if ask.flow in ("corrected", "lapsed", "correcting"):
        asked = days.after(received, 1 if ask.flow == "correcting" else 2)
        period = 10 if ask.flow == "lapsed" else 15
        story.then(asked, 10, lambda: services.correction_request(
            actor=act, request=request(), what=CORRECTION, period=period))  # fmt: skip
        if ask.flow == "lapsed":
            until = days.after(asked, period)
            story.then(days.after(until, 1), 8, lambda: services.request_lapse(request=request()))
            return story
        if ask.flow == "correcting":
            return story
        restart = days.after(asked, 4)
        corrector = scene.user(requester.account) if requester.account else act
        story.then(restart, 14, lambda: services.correction_receive(
            actor=corrector, request=request(), text=ask.correction or description))  # fmt: skip
    elif ask.flow in ("consulted", "consulted_body", "consulting"):
        sent = days.after(received, 3)
        party = ConsultedParty.OTHER_BODY if ask.flow == "consulted_body" else ConsultedParty.THIRD_PARTY
        story.then(sent, 10, lambda: services.consultation_start(
            actor=act, request=request(), party=party, party_name=ask.party,
            note="书面征求意见，请于15个工作日内答复。"))  # fmt: skip
        if ask.flow == "consulting":
            return story
        restart = days.after(sent, 8)
        story.then(restart, 15, lambda: services.consultation_end(actor=act, request=request(), note=ask.answer))
        lag = min(lag, 6)
    elif ask.flow == "extended":
        story.then(days.after(received, 16), 10, lambda: services.request_extend(
            actor=scene.user(office.head), request=request(), days=20,
            reason="申请的信息涉及多年档案，需调档检索、逐件审核，无法在20个工作日内答复。"))  # fmt: skip
        lag = 30
    elif ask.flow in ("fee_paid", "fee_lapsed"):
        noticed = days.after(received, 2)
        story.then(noticed, 10, lambda: services.fee_notify(actor=act, request=request(), method=FeeMethod.BY_COUNT))
        if ask.flow == "fee_lapsed":
            until = days.after(noticed, 20)
            story.then(days.after(until, 1), 8, lambda: services.request_lapse(request=request()))
            return story
        restart = days.after(noticed, 5)
        story.then(restart, 11, lambda: services.fee_pay(actor=act, request=request()))
        lag = min(lag, 6)
    if ask.flow == "open" or not ask.outcome:
        return story
    replied = days.after(restart, lag)
    story.then(replied, 15, lambda: _reply(scene, office, ask, request()))
    _appeal_steps(scene, office, ask, story, replied, request)
    return story


def _reply(scene: Scene, office: Office, ask: Ask, request: DisclosureRequest) -> None:
    body = scene.body(office)
    public_item = None
    if ask.outcome == Outcome.ALREADY_PUBLIC and ask.public:
        public_item = (
            ProactiveItem.objects.filter(body=body, status=ItemStatus.PUBLISHED, title__contains=ask.public)
            .order_by("-published_at")
            .first()
        )
    note = ask.note
    where = f"{office.website}“政府信息公开”专栏"
    if ask.outcome == Outcome.ALREADY_PUBLIC and not note:
        note = f"该信息已在{where}主动公开，请登录查询。"
    if public_item is not None and public_item.published_at is not None:
        when = public_item.published_at.date()
        note = (
            f"该信息已于{when.year}年{when.month}月{when.day}日在{office.website}主动公开，标题为《{public_item.title}》，"
            f"索引号{public_item.index_number}。"
        )
    parts = services.reply_template(request, ask.outcome, ask.ground).split("\n\n")
    if note:
        parts.insert(len(parts) - 1, note)
    delivery = ask.delivery
    if delivery == Delivery.ONLINE and ask.outcome in (Outcome.PROVIDED, Outcome.PARTLY):
        delivery = Delivery.POST  # paper copies: the platform releases online only the documents it redacted
    services.reply_make(
        actor=scene.user(office.officer), request=request, outcome=ask.outcome, ground=ask.ground,
        text="\n\n".join(parts), delivery=delivery, public_item=public_item,
        where_public="" if public_item is not None or ask.outcome != Outcome.ALREADY_PUBLIC else where,
        other_body=ask.other_body,
    )  # fmt: skip
    scene.made["replies"] += 1


class _AppealSteps:
    def __init__(
        self, scene: Scene, office: Office, spec: AppealSpec, filed: date, request: Callable[[], DisclosureRequest]
    ) -> None:
        self.scene, self.office, self.spec, self.filed, self.request = scene, office, spec, filed, request
        self.appeal: Appeal | None = None

    def record(self) -> None:
        spec, filed = self.spec, self.filed
        serial = filed.timetuple().tm_yday
        if spec.kind == AppealKind.RECONSIDERATION:
            number = f"示府复〔{filed.year}〕{serial}号"
        else:
            number = f"（{filed.year}）示0102行初{serial}号"
        self.appeal = services.appeal_record(
            actor=self.scene.user(self.office.officer), request=self.request(), kind=spec.kind,
            authority=spec.authority, filed_on=filed, case_number=number,
            after_reconsideration=spec.after_reconsideration,
        )  # fmt: skip
        self.scene.made["appeals"] += 1

    def decide(self, decided: date) -> None:
        assert self.appeal is not None
        services.appeal_decide(
            actor=self.scene.user(self.office.officer), appeal=self.appeal, outcome=self.spec.outcome,
            decided_on=decided,
        )  # fmt: skip


def _appeal_steps(
    scene: Scene, office: Office, ask: Ask, story: Story, replied: date, request: Callable[[], DisclosureRequest]
) -> None:
    """Each appeal filed some days after the reply (a lawsuit after a reconsideration: after its decision),
    decided some days later — or still pending at the demo's now."""
    base = replied
    for spec in ask.appeals:
        filed = scene.days.on_or_after(base + timedelta(days=spec.filed_after))
        steps = _AppealSteps(scene, office, spec, filed, request)
        story.then(filed, 11, steps.record)
        if spec.outcome == AppealOutcome.PENDING:
            break
        decided = scene.days.on_or_after(filed + timedelta(days=spec.decided_after))
        story.then(decided, 16, partial(steps.decide, decided))
        base = decided
