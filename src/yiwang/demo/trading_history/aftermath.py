"""What followed the openings: the demo bidders' securities and their refunds, the complaints and
objections to the supervisor of construction (住建局), and the e-supervision sweep's cards."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core.crypto import sm3_hex
from yiwang.demo.trading_history.data import CENT, EXPERT_PREFIX, SALES
from yiwang.demo.trading_history.plan import Offer, Plan, _at, _Context
from yiwang.demo.trading_history.projects import _event
from yiwang.trading import rules
from yiwang.trading.models import (
    Alert,
    AlertRule,
    BidSecurity,
    Complaint,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    Expert,
    Lot,
    Objection,
    ObjectionSubject,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    SecurityForm,
    SecurityStatus,
)
from yiwang.trading.services.supervision import COLOURS


def _securities_write(ctx: _Context, rng: random.Random, plans: list[Plan]) -> None:
    """The demo bidders' securities, recorded before the deadline and refunded with interest within the 5
    days after the step that released them (招标投标法实施条例 §57); held while the project is under way."""
    lots = {(lot.project_id, lot.number): lot for lot in Lot.objects.filter(project__in=[p.project for p in plans])}
    bidders = {u.username: u for u in ctx.bidders}
    forms = [SecurityForm.TRANSFER, SecurityForm.TRANSFER, SecurityForm.GUARANTEE, SecurityForm.INSURANCE]
    prefixes = {SecurityForm.TRANSFER: "ZZ", SecurityForm.GUARANTEE: "BH", SecurityForm.INSURANCE: "BX"}
    rows = []
    for plan in plans:
        t = plan.timeline
        released = {ProjectStatus.CONTRACTED: t.contract_at, ProjectStatus.FAILED: t.opening_start}.get(
            ProjectStatus(plan.status)
        )
        for offer in plan.offers:
            lot = lots[(_pk(plan), offer.lot)]
            if not offer.username or not lot.bid_security:
                continue
            received = _at(timezone.localdate(t.deadline) - timedelta(days=rng.randint(1, 6)), rng.uniform(9, 17))
            form = rng.choice(forms)
            security = BidSecurity(
                lot=lot,
                bidder=bidders[offer.username],
                amount=lot.bid_security,
                form=form,
                reference=f"{prefixes[form]}{timezone.localtime(received):%Y%m%d}{rng.randint(1000, 9999)}",
                received_at=received,
                recorded_by=ctx.officer,
            )
            if released is not None:
                security.refund_due = timezone.localdate(released) + timedelta(days=rules.SECURITY_REFUND_DAYS)
                refunded = _at(timezone.localdate(released) + timedelta(days=rng.randint(1, 4)), rng.uniform(9, 17))
                if refunded < ctx.now:  # else still due, within its 5 days
                    days = (refunded - received).days
                    cash = form == SecurityForm.TRANSFER
                    interest = lot.bid_security * Decimal("0.0035") * days / 365 if cash else Decimal(0)
                    security.status, security.refunded_at = SecurityStatus.REFUNDED, refunded
                    security.interest, security.closed_by = interest.quantize(CENT), ctx.officer
            rows.append(security)
    BidSecurity.objects.bulk_create(rows, batch_size=500)


def _pk(plan: Plan) -> int:
    assert plan.project is not None
    return int(plan.project.pk)


def _complaints_write(ctx: _Context, rng: random.Random, plans: list[Plan]) -> list[ProjectEvent]:
    """A handful of complaints by the demo bidders to the supervisor of construction (住建局): on the
    opening, dismissed; on the candidates after the objection's answer, partly upheld; out of time,
    refused; withdrawn; one accepted and still within its time; and one on the documents, upheld after
    the tenderer's answer to the objection — whereupon the tender was terminated. Returns their journal."""
    S, C = ProjectStatus, ComplaintStatus
    construction = [p for p in plans if p.kind == ProjectKind.CONSTRUCTION]
    old = ctx.now - timedelta(days=30)
    done = [
        p
        for p in construction
        if p.status == S.CONTRACTED and any(o.username for o in p.offers) and p.timeline.contract_at < old
    ]
    rng.shuffle(done)
    bidders = {u.username: u for u in ctx.bidders}
    events: list[ProjectEvent] = []
    complaints: list[Complaint] = []
    objections: list[Objection] = []

    def complainant(plan: Plan) -> User:
        return bidders[next((o.username for o in plan.offers if o.username), "demo-bidder-2")]

    def lodge(plan: Plan, subject: str, filed: datetime, text: tuple[str, str], known: date) -> Complaint:
        complaint = Complaint(
            project=plan.project,
            subject=subject,
            complainant=complainant(plan),
            request=text[0],
            grounds=text[1],
            known_on=known,
            filed_at=filed,
            accept_due=ctx.add_working(timezone.localdate(filed), 3),
        )
        events.append(_event(plan, "complaint", filed))
        complaints.append(complaint)
        return complaint

    def accept(plan: Plan, complaint: Complaint, at: datetime) -> None:
        complaint.status, complaint.accepted_at, complaint.handled_by = C.ACCEPTED, at, ctx.supervisor
        complaint.decide_due = ctx.add_working(timezone.localdate(at), rules.COMPLAINT_DECISION_WORKING_DAYS)
        events.append(_event(plan, "complaint_accept", at, actor=ctx.supervisor))

    def decide(plan: Plan, complaint: Complaint, at: datetime, outcome: str, decision: str) -> None:
        complaint.status, complaint.outcome, complaint.decision, complaint.decided_at = C.DECIDED, outcome, decision, at
        events.append(_event(plan, "complaint_decide", at, actor=ctx.supervisor, note=outcome))

    def object_to(plan: Plan, subject: str, raised: datetime, answered: datetime, text: str, answer: str) -> Objection:
        objection = Objection(
            project=plan.project,
            subject=subject,
            raised_by=complainant(plan),
            text=text,
            raised_at=raised,
            answer_due=rules.objection_answer_due(raised),
            answer=answer,
            answered_at=answered,
        )
        objections.append(objection)
        return objection

    if len(done) >= 4:
        plan, t = done[0], done[0].timeline
        complaint = lodge(
            plan,
            ComplaintSubject.OPENING,
            t.concluded + timedelta(days=1, hours=2),
            (
                "请求认定开标无效，重新组织开标。",
                "开标时我公司投标文件解密界面长时间无响应，怀疑平台故障影响解密。",
            ),
            timezone.localdate(t.deadline),
        )
        accept(plan, complaint, t.concluded + timedelta(days=2, hours=1))
        decide(
            plan,
            complaint,
            t.concluded + timedelta(days=9),
            ComplaintOutcome.DISMISSED,
            "经调取平台日志核查，开标期间平台运行正常，投诉人在解密时限内完成解密，投诉缺乏事实依据，予以驳回。",
        )

        plan, t = done[1], done[1].timeline
        raised = t.publicity_from + timedelta(days=1, hours=1)
        answered = raised + timedelta(days=2)
        objection = object_to(
            plan,
            ObjectionSubject.CANDIDATES,
            raised,
            answered,
            "第一中标候选人拟派项目经理在其他在建工程中担任项目经理，不符合招标文件要求。",
            "经核查，该项目经理原任职项目已竣工验收，变更手续正在办理中，招标人维持评标结果。",
        )
        events.append(_event(plan, "objection", raised))
        events.append(_event(plan, "objection_answer", answered))
        complaint = lodge(
            plan,
            ComplaintSubject.CANDIDATES,
            answered + timedelta(hours=20),
            (
                "请求取消第一中标候选人的中标候选人资格。",
                "招标人对异议的答复未附竣工验收证明，项目经理在建情况未核实清楚。",
            ),
            timezone.localdate(raised),
        )
        complaint.objection = objection
        accept(plan, complaint, answered + timedelta(days=2))
        decide(
            plan,
            complaint,
            answered + timedelta(days=8),
            ComplaintOutcome.PARTLY_UPHELD,
            "项目经理变更手续在公示期内已办结，不影响中标结果；招标人答复异议未附证明材料，责令改正。",
        )

        plan, t = done[2], done[2].timeline
        complaint = lodge(
            plan,
            ComplaintSubject.AWARD,
            t.contract_at + timedelta(days=20),
            (
                "请求确认中标无效。",
                "中标人在投标文件中提供的业绩存在虚假。",
            ),
            timezone.localdate(t.awarded),
        )
        complaint.status, complaint.handled_by = C.REFUSED, ctx.supervisor
        complaint.decided_at = complaint.filed_at + timedelta(days=2)
        complaint.decision = (
            "投诉人自知道或者应当知道之日起超过10日提出投诉，不符合招标投标法实施条例第六十条规定，不予受理。"
        )
        events.append(_event(plan, "complaint_refuse", complaint.decided_at, actor=ctx.supervisor))

        plan, t = done[3], done[3].timeline
        complaint = lodge(
            plan,
            ComplaintSubject.OPENING,
            t.concluded + timedelta(hours=5),
            (
                "请求核实开标记录中第三名投标人的报价。",
                "开标记录中第三名投标人的报价与其公示的报价不一致。",
            ),
            timezone.localdate(t.deadline),
        )
        complaint.status, complaint.decided_at = C.WITHDRAWN, t.concluded + timedelta(days=1, hours=3)
        events.append(_event(plan, "complaint_withdraw", complaint.decided_at))
    awarded = [p for p in construction if p.status == S.AWARDED and any(o.username for o in p.offers)]
    if awarded:
        plan, t = awarded[0], awarded[0].timeline
        span = ctx.now - t.awarded
        complaint = lodge(
            plan,
            ComplaintSubject.AWARD,
            t.awarded + span / 3,
            (
                "请求暂停签订合同并重新评审。",
                "中标人投标报价明显低于其他投标报价，评标委员会未要求其作出书面说明并提供证明材料。",
            ),
            timezone.localdate(t.awarded),
        )
        accept(plan, complaint, t.awarded + span * 2 / 3)
    terminated = [p for p in construction if p.terminated is not None]
    if terminated:
        plan, t = terminated[0], terminated[0].timeline
        assert plan.terminated is not None
        span = plan.terminated - t.published
        raised, answered = t.published + span / 5, t.published + span * 3 / 10
        objection = object_to(
            plan,
            ObjectionSubject.DOCUMENTS,
            raised,
            answered,
            "招标文件以本市同类工程业绩作为加分条件，排斥外地潜在投标人。",
            "该业绩要求系根据项目特点设置，不构成对潜在投标人的歧视。",
        )
        events.append(_event(plan, "objection", raised, before=S.BIDDING, after=S.PAUSED))
        events.append(_event(plan, "objection_answer", answered, before=S.PAUSED))
        events.append(_event(plan, "resume", answered, before=S.PAUSED, after=S.BIDDING))
        filed = t.published + span * 2 / 5
        complaint = lodge(
            plan,
            ComplaintSubject.DOCUMENTS,
            filed,
            (
                "请求责令招标人修改招标文件。",
                "招标文件以特定行政区域的业绩作为加分条件（招标投标法实施条例第三十二条）。",
            ),
            timezone.localdate(answered),
        )
        complaint.objection = objection
        plan.termination_note = "监督部门认定投诉成立，责令修改招标文件；招标人终止本次招标，修改招标文件后重新招标。"
        accept(plan, complaint, t.published + span / 2)
        decide(
            plan,
            complaint,
            t.published + span * 4 / 5,
            ComplaintOutcome.UPHELD,
            "投诉成立：招标文件以特定行政区域的业绩作为加分条件，违反招标投标法实施条例第三十二条，"
            "责令招标人修改招标文件后重新招标。",
        )
    Objection.objects.bulk_create(objections)  # first: the complaints name them
    Complaint.objects.bulk_create(complaints)
    return events


@dataclass
class _Card:
    plan: Plan
    rule: str
    basis: str  # with "{lot}" for the lot's key, known once the lots are written
    detail: str
    at: datetime


def _alert_plans(ctx: _Context, rng: random.Random, plans: list[Plan]) -> list[_Card]:
    """Cards of the e-supervision sweep (docs/trading.md §9), worded as it words them: two bidders with one
    price and three prices in one step (the offers made so, in the opening record), one address and one
    device behind two bidders, an expert often on one tenderer's committees, and the late contract's red
    card."""
    opened = [p for p in plans if p.status == ProjectStatus.CONTRACTED and not p.late_contract]
    rng.shuffle(opened)
    cards: list[_Card] = []

    def first_lot(plan: Plan) -> list[Offer]:
        return [o for o in plan.offers if o.lot == 1]

    same = next((p for p in opened if len(first_lot(p)) >= 4), None)
    if same is not None:
        offers = first_lot(same)
        offers[-1].price = offers[-2].price
        detail = f"2个投标人共用报价 {offers[-1].price}。"
        cards.append(_Card(same, AlertRule.SAME_PRICE, f"{{lot}}:{offers[-1].price}", detail, same.timeline.concluded))
    step = next((p for p in opened if p is not same and len(first_lot(p)) == 3 and p.kind not in SALES), None)
    if step is not None:
        offers = first_lot(step)
        estimate = step.lots[0][2]
        gap = max(Decimal(1), ((estimate - offers[0].price) / 3).quantize(Decimal(1)))
        offers[1].price, offers[2].price = offers[0].price + gap, offers[0].price + 2 * gap
        prices = ", ".join(str(o.price) for o in offers)
        cards.append(
            _Card(step, AlertRule.PRICE_PATTERN, "{lot}:step", f"报价呈等差：{prices}。", step.timeline.concluded)
        )
    others = [p for p in opened if p is not same and p is not step]
    if len(others) >= 3:
        address = "203.0.113.57"  # TEST-NET-3: no real address
        detail = f"2个投标人共用地址 {address}。"
        cards.append(_Card(others[0], AlertRule.SAME_ADDRESS, address, detail, others[0].timeline.concluded))
        device = sm3_hex(b"demo-device")
        detail = f"2个投标人共用设备指纹 {device}。"
        cards.append(_Card(others[1], AlertRule.SAME_DEVICE, device, detail, others[1].timeline.concluded))
        experts = list(Expert.objects.filter(user__username__startswith=EXPERT_PREFIX).values_list("pk", flat=True))
        if experts:
            number = experts[rng.randrange(len(experts))]
            detail = f"编号{number}的专家一年内参加该招标人3个项目的评标。"
            cards.append(
                _Card(others[2], AlertRule.REPEATED_EXPERT, f"expert:{number}:3", detail, others[2].timeline.concluded)
            )
    late = next((p for p in plans if p.late_contract), None)
    if late is not None:
        cards.append(_Card(late, AlertRule.LATE_STEP, "contract", "合同签订超过法定期限。", late.timeline.contract_at))
    return cards


def _alerts_write(plans: list[Plan], cards: list[_Card]) -> None:
    lots = {(lot.project_id, lot.number): lot.pk for lot in Lot.objects.filter(project__in=[p.project for p in plans])}
    Alert.objects.bulk_create(
        Alert(
            project=card.plan.project,
            rule=card.rule,
            colour=COLOURS[card.rule],
            basis=card.basis.format(lot=lots[(_pk(card.plan), 1)]),
            detail=card.detail,
            issued_at=card.at + timedelta(minutes=10),  # the sweep runs every ten minutes
        )
        for card in cards
    )
