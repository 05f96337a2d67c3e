"""Writing the projects (their codes drawn per year from the region's counter, their reports), their lots
and their notices (each ending with ``HISTORY_MARK``), and each project's journal as the services
write it step by step."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core.crypto import sm3_hex
from yiwang.demo.trading_history.data import (
    CENT,
    HISTORY_MARK,
    HISTORY_NOTE,
    NOTICE,
    PROCUREMENT_NOTICE,
    QUALIFICATION,
    SALES,
    TERMINATION,
)
from yiwang.demo.trading_history.plan import Plan, _Context, _reached, _status_at
from yiwang.trading import rules
from yiwang.trading.envelope import canonical
from yiwang.trading.models import (
    BidClosing,
    DocumentKind,
    EvaluationMethod,
    Lot,
    ProjectCounter,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    TenderDocument,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.services._common import stamp


def _projects_write(ctx: _Context, plans: list[Plan]) -> None:
    """The projects, their codes drawn as one block per year from the region's counter (as
    ``project_register`` draws them one by one), in the order they were registered."""
    by_year: dict[int, list[Plan]] = defaultdict(list)
    for plan in sorted(plans, key=lambda p: p.timeline.created):
        by_year[timezone.localdate(plan.timeline.created).year].append(plan)
    codes: dict[int, str] = {}
    for year, year_plans in sorted(by_year.items()):
        counter, _created = ProjectCounter.objects.get_or_create(region=ctx.city, year=year)
        ProjectCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(year_plans))
        last = ProjectCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
        for offset, plan in enumerate(year_plans):
            codes[id(plan)] = f"{ctx.city.code}-{year}-{last - len(year_plans) + offset + 1:04d}"
    rows = []
    for plan in plans:
        t = plan.timeline
        project = TradingProject(
            code=codes[id(plan)],
            region=ctx.city,
            kind=plan.kind,
            method=plan.method,
            evaluation_method=plan.evaluation_method,
            title=plan.title,
            tenderer_department=plan.tenderer,
            supervising_department=ctx.supervisors[plan.kind],
            budget=plan.budget,
            state_funded=plan.kind not in SALES,
            qualification=_qualification(plan),
            status=plan.status,
            documents_from=t.documents_from,
            documents_until=t.documents_until,
            bid_deadline=t.deadline,
            published_at=t.published,
            created_by=ctx.officer,
            created_at=t.created,
        )
        reached = _reached(plan.status, plan.kind == ProjectKind.PROCUREMENT)
        if ProjectStatus.REPORTED in reached:
            project.reported_at = t.reported
            project.report = _report(project, plan)
        if ProjectStatus.PUBLICITY in reached:
            project.publicity_from, project.publicity_until = t.publicity_from, t.publicity_until
        if ProjectStatus.DELIVERED in reached:
            project.delivered_at = t.publicity_from
        if ProjectStatus.AWARDED in reached:
            project.awarded_at = t.awarded
        if plan.status == ProjectStatus.CONTRACTED:
            project.contract_amount = sum((o.price for o in plan.winners()), Decimal(0))
            project.contract_signed_on = timezone.localdate(t.contract_at)
        plan.project = project
        rows.append(project)
    TradingProject.objects.bulk_create(rows, batch_size=500)


def _qualification(plan: Plan) -> str:
    text = QUALIFICATION[ProjectKind(plan.kind)]
    if plan.kind == ProjectKind.CONSTRUCTION:
        roads = any(word in plan.title for word in ("道路", "公路", "桥"))
        grade = "市政公用工程施工总承包三级" if roads else "建筑工程施工总承包二级"
        text = text.format(grade=grade, trade="市政公用工程" if roads else "建筑工程")
    return text


def _report(project: TradingProject, plan: Plan) -> str:
    """The evaluation report as the platform writes it (evaluation_report), of the generated offers."""
    scoring = plan.evaluation_method == EvaluationMethod.SCORING
    lots = []
    for number in sorted({o.lot for o in plan.offers}):
        ranked = [o for o in plan.offers if o.lot == number]  # the winner first
        bids = [
            {"bidder": o.credit_code, "price": str(o.price), "total": str(Decimal(92 - 2.5 * n).quantize(CENT))}
            if scoring
            else {"bidder": o.credit_code, "price": str(o.price), "total": ""}
            for n, o in enumerate(ranked)
        ]
        lots.append({"lot": number, "bids": bids})
    content = {
        "project": project.code,
        "method": project.evaluation_method,
        "committee": 5 if plan.budget < 10**7 else 7,
        "outliers": 0,
        "lots": lots,
        "reported_at": stamp(plan.timeline.reported),
        "history": HISTORY_NOTE,
    }
    return canonical(content).decode()


def _lots_write(plans: list[Plan]) -> None:
    rows = []
    for plan in plans:
        failed = plan.status == ProjectStatus.FAILED
        for number, (title, _trade, estimate, security) in enumerate(plan.lots, start=1):
            rows.append(
                Lot(
                    project=plan.project,
                    number=number,
                    title=title,
                    estimate=estimate,
                    bid_security=security,
                    failed=failed,
                )
            )
    Lot.objects.bulk_create(rows, batch_size=1000)


def _notice_words(plan: Plan) -> tuple[str, str, str]:
    if plan.kind == ProjectKind.PROCUREMENT:
        return PROCUREMENT_NOTICE[TradingMethod(plan.method)], "采购预算", "响应文件递交"
    return NOTICE[ProjectKind(plan.kind)]


def _documents_write(ctx: _Context, plans: list[Plan]) -> None:
    """Each project's notice with its documents (version 1), its digest as ``notice_publish`` takes it."""
    rows = []
    for plan in plans:
        notice, amount, step = _notice_words(plan)
        t = plan.timeline
        body = (
            f"一、项目概况\n{plan.title}，{amount}{plan.budget:,.2f}元，共{len(plan.lots)}个标段（包）；"
            f"{plan.tenderer.name}为招标人（采购人、出让人），{ctx.supervisors[plan.kind].name}为监督部门。\n"
            f"二、资格要求\n{_qualification(plan)}\n"
            f"三、文件获取\n{t.documents_from:%Y-%m-%d}至{t.documents_until:%Y-%m-%d}，在本平台下载。\n"
            f"四、{step}截止时间\n{timezone.localtime(t.deadline):%Y-%m-%d %H:%M}，逾期送达的不予受理。\n{HISTORY_MARK}"
        )
        rows.append(
            TenderDocument(
                project=plan.project,
                version=1,
                kind=DocumentKind.DOCUMENT,
                title=f"{plan.title}{notice}",
                body=body,
                sm3=sm3_hex(body.encode() + b"\x00"),
                deadline_after=t.deadline,
                published_by=ctx.officer,
                published_at=t.published,
            )
        )
    TenderDocument.objects.bulk_create(rows, batch_size=500)


def _event(
    plan: Plan,
    action: str,
    at: datetime,
    *,
    before: str = "",
    after: str = "",
    actor: User | None = None,
    note: str = "",
) -> ProjectEvent:
    """A journal entry; one that does not move the project keeps the status it had then."""
    before = before or _status_at(plan, at)
    return ProjectEvent(
        project=plan.project,
        action=action,
        from_status=before,
        to_status=after or before,
        actor=actor,
        note=note,
        at=at,
    )


def _events(ctx: _Context, plans: list[Plan], closings: dict[int, BidClosing]) -> list[ProjectEvent]:
    """Each project's journal, as the services write it step by step."""
    S = ProjectStatus
    officer = ctx.officer
    events = []
    for plan in plans:
        t = plan.timeline
        title = f"{plan.title}{_notice_words(plan)[0]}"
        events.append(_event(plan, "publish", t.published, before=S.DRAFT, after=S.BIDDING, actor=officer, note=title))
        if plan.terminated is not None:
            note = plan.termination_note or TERMINATION[ProjectKind(plan.kind)]
            events.append(_event(plan, "terminate", plan.terminated, before=S.BIDDING, after=S.TERMINATED, note=note))
            continue
        closing = closings[id(plan)]
        note = f"{plan.live_bids} / {closing.root}"
        events.append(_event(plan, "close", closing.closed_at, before=S.BIDDING, after=S.CLOSED, note=note))
        if plan.status == S.FAILED:
            note = "投标人少于三个，不得开标。"
            events.append(
                _event(plan, "fail", t.opening_start, before=S.CLOSED, after=S.FAILED, actor=officer, note=note)
            )
            continue
        reached = _reached(plan.status, plan.kind == ProjectKind.PROCUREMENT)
        events.append(_event(plan, "opening_start", t.opening_start, before=S.CLOSED, after=S.OPENING, actor=officer))
        events.append(_event(plan, "opening_conclude", t.concluded, before=S.OPENING, after=S.OPENED, actor=officer))
        if S.EVALUATING in reached:
            events.append(_event(plan, "evaluate", t.evaluate, before=S.OPENED, after=S.EVALUATING, actor=officer))
        if S.REPORTED in reached:
            lots = {o.lot for o in plan.offers}
            candidates = sum(min(rules.MAX_CANDIDATES, sum(o.lot == n for o in plan.offers)) for n in lots)
            events.append(
                _event(
                    plan,
                    "report",
                    t.reported,
                    before=S.EVALUATING,
                    after=S.REPORTED,
                    actor=officer,
                    note=str(candidates),
                )
            )
        if S.PUBLICITY in reached:
            events.append(
                _event(plan, "publicise", t.publicity_from, before=S.REPORTED, after=S.PUBLICITY, actor=officer)
            )
        if S.DELIVERED in reached:
            events.append(
                _event(plan, "deliver", t.publicity_from, before=S.REPORTED, after=S.DELIVERED, actor=officer)
            )
        if S.AWARDED in reached:
            winners = "、".join(dict.fromkeys(o.name for o in plan.winners()))
            deciding = S.DELIVERED if S.DELIVERED in reached else S.PUBLICITY
            events.append(_event(plan, "award", t.awarded, before=deciding, after=S.AWARDED, note=winners))
        if S.CONTRACTED in reached:
            note = "late" if plan.late_contract else ""
            events.append(_event(plan, "contract", t.contract_at, before=S.AWARDED, after=S.CONTRACTED, note=note))
    return events
