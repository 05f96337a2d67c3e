"""The annual report (条例 §49–§50) computed from a year of records made through the services: the national
format's tables 二, 三 and 四 and the 2016 format's statistics, exact; new + carried over = results + carried
to next year in every column; a broken dataset reported by ``check()``; a handful of queries whatever the
records; Excel and PDF; the public pages and their 404s."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.files import pdf_bytes
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.core.identifiers import credit_code_with_check
from yiwang.disclosure import report_export, services
from yiwang.disclosure.choices import (
    AppealKind,
    AppealOutcome,
    Channel,
    Delivery,
    Ground,
    ItemKind,
    MeetingKind,
    Outcome,
    RequestChannel,
    RequesterKind,
    RequestStatus,
    ResponseKind,
    ReviewDecision,
)
from yiwang.disclosure.models import DisclosureRequest, ProactiveItem, Reply
from yiwang.disclosure.report import NationalReport, national_report, report_2016, report_index
from yiwang.organisation.models import Department, Region

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2024


@contextmanager
def on(day: date, hour: int = 10) -> Iterator[None]:
    """Everything inside happens on ``day`` (the services take today's date)."""
    with time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False):
        yield


def day(month: int, dom: int, year: int = YEAR) -> date:
    return date(year, month, dom)


# --- a year of records, through the services ------------------------------------------------------------------


def publish(
    office: dict[str, Any], title: str, *, formed: date, published: date, kind: str = ItemKind.GENERAL,
    issued: date | None = None, channels: tuple[str, ...] = (Channel.WEBSITE,),
) -> ProactiveItem:  # fmt: skip
    with on(formed):
        item = services.item_create(
            actor=office["officer"], body=office["body"], category=office["category"], kind=kind, title=title,
            formed_on=formed, issued_on=issued, channels=channels,
        )  # fmt: skip
    with on(published):
        services.item_review_submit(actor=office["officer"], item=item)
        services.item_review(actor=office["colleague"], item=item, decision=ReviewDecision.PASSED)
        return services.item_publish(actor=office["officer"], item=item)


def portal(office: dict[str, Any], received: date, *, company: str = "") -> DisclosureRequest:
    """A request on the portal: the citizen's, or the firm's saying what kind of organisation it is."""
    with on(received):
        return services.request_submit(
            actor=office["company"] if company else office["citizen"], body=office["body"],
            description=f"{received}申请的政府信息", delivery=Delivery.ONLINE, requester_kind=company,
        )  # fmt: skip


def paper(office: dict[str, Any], received: date, *, channel: str, kind: str, serial: str) -> DisclosureRequest:
    letter = None
    if channel != RequestChannel.IN_PERSON:
        letter = SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")
    with on(received):
        return services.request_enter(
            actor=office["officer"], body=office["body"], channel=channel, requester_kind=kind,
            requester_name=f"示范机构{serial}", identity_number=credit_code_with_check(f"91330100MA2B0001{serial}"),
            phone="0571-88888888", description="某项目的审批材料", delivery=Delivery.IN_PERSON, received_on=received,
            letter=letter,
        )  # fmt: skip


def reply(office: dict[str, Any], request: DisclosureRequest, replied: date, outcome: str, ground: str = "",
          **extra: Any) -> Reply:  # fmt: skip
    with on(replied):
        return services.reply_make(
            actor=office["officer"], request=request, outcome=outcome, ground=ground, text="答复如下。",
            delivery=Delivery.POST, **extra,
        )  # fmt: skip


def appeal(office: dict[str, Any], request: DisclosureRequest, filed: date, kind: str, *, after: bool = False,
           outcome: str = "", decided: date | None = None) -> None:  # fmt: skip
    with on(filed):
        made = services.appeal_record(
            actor=office["officer"], request=request, kind=kind, authority="示范市人民政府", filed_on=filed,
            after_reconsideration=after,
        )  # fmt: skip
    if decided is not None:
        with on(decided):
            services.appeal_decide(actor=office["officer"], appeal=made, outcome=outcome, decided_on=decided)


@pytest.fixture
def records(office: dict[str, Any]) -> dict[str, Any]:
    """The body's records around 2024: items of every kind, fourteen requests of the year from every kind of
    requester and channel with every kind of outcome, one carried over from 2023 and two carried into 2025,
    appeals decided, corrected and pending, responses, meetings, complaints and the office's year."""
    officer = office["officer"]
    body = office["body"]

    # Proactive items.
    repealed = publish(office, "2022年规范性文件", formed=day(3, 1, 2022), published=day(3, 10, 2022),
                       kind=ItemKind.NORMATIVE, issued=day(3, 1, 2022))  # fmt: skip
    with on(day(7, 1)):
        services.item_repeal(actor=officer, item=repealed, repealed_on=day(6, 28))
    publish(office, "2023年政府规章", formed=day(5, 4, 2023), published=day(5, 10, 2023), kind=ItemKind.REGULATION,
            issued=day(5, 4, 2023))  # fmt: skip
    publish(office, "2024年规范性文件", formed=day(3, 1), published=day(3, 5), kind=ItemKind.NORMATIVE,
            issued=day(3, 1), channels=(Channel.WEBSITE, Channel.WECHAT))  # fmt: skip
    publish(office, "老旧小区改造计划", formed=day(4, 1), published=day(4, 2),
            channels=(Channel.WEBSITE, Channel.WEIBO, Channel.GAZETTE))  # fmt: skip
    publish(office, "行政处罚决定书", formed=day(5, 6), published=day(5, 7), kind=ItemKind.PENALTY)
    publish(office, "行政强制决定书", formed=day(12, 30), published=day(1, 3, 2025), kind=ItemKind.ENFORCEMENT)
    withdrawn = publish(office, "停水通知", formed=day(6, 3), published=day(6, 3), channels=(Channel.OTHER,))
    with on(day(6, 11)):
        services.item_withdraw(actor=officer, item=withdrawn, reason="已过期")
    with on(day(2, 1)):  # a draft is not counted
        services.item_create(actor=officer, body=body, category=office["category"], kind=ItemKind.NORMATIVE,
                             title="未公开的规范性文件", formed_on=day(2, 1), issued_on=day(2, 1))  # fmt: skip

    # Requests: one of 2023 that ended in 2023, one received in 2023 and replied in 2024.
    old = portal(office, day(6, 5, 2023))
    reply(office, old, day(6, 20, 2023), Outcome.PROVIDED)
    appeal(office, old, day(7, 3, 2023), AppealKind.RECONSIDERATION, outcome=AppealOutcome.UPHELD,
           decided=day(9, 1, 2023))  # fmt: skip
    carried = portal(office, day(12, 20, 2023))
    reply(office, carried, day(1, 10), Outcome.PROVIDED)

    r1 = portal(office, day(3, 4))
    first = reply(office, r1, day(3, 11), Outcome.PROVIDED)
    # The fee of the year: set on the reply as a paid fee notice would have (the notice's rules are tested in
    # test_requests.py; eleven requests in a month would crowd this year's figures).
    Reply.objects.filter(pk=first.pk).update(fee=Decimal(100), fee_method="by_count")
    reply(office, portal(office, day(3, 5)), day(3, 12), Outcome.ALREADY_PUBLIC, where_public="示范市人民政府网站")
    reply(office, portal(office, day(4, 8), company=RequesterKind.COMPANY), day(4, 15), Outcome.PARTLY,
          Ground.THIRD_PARTY_TRADE_SECRET)  # fmt: skip
    r4 = paper(office, day(5, 6), channel=RequestChannel.IN_PERSON, kind=RequesterKind.RESEARCH, serial="1")
    reply(office, r4, day(5, 13), Outcome.REFUSED, Ground.STATE_SECRET)
    r5 = paper(office, day(5, 7), channel=RequestChannel.FAX, kind=RequesterKind.PUBLIC_INTEREST, serial="2")
    reply(office, r5, day(5, 14), Outcome.REFUSED, Ground.THIRD_PARTY_PRIVACY)
    r6 = portal(office, day(6, 3), company=RequesterKind.LEGAL_SERVICE)
    reply(office, r6, day(6, 11), Outcome.CANNOT, Ground.NOT_HELD)
    appeal(office, r6, day(6, 20), AppealKind.RECONSIDERATION, outcome=AppealOutcome.UPHELD, decided=day(8, 1))
    appeal(office, r6, day(7, 1), AppealKind.LITIGATION, outcome=AppealOutcome.OTHER, decided=day(10, 10))
    r7 = paper(office, day(6, 4), channel=RequestChannel.LETTER, kind=RequesterKind.OTHER, serial="3")
    reply(office, r7, day(6, 12), Outcome.CANNOT, Ground.NOT_THIS_BODY, other_body="示范市自然资源局")
    r8 = portal(office, day(7, 1))
    reply(office, r8, day(7, 8), Outcome.CANNOT, Ground.NEEDS_PROCESSING)
    appeal(office, r8, day(7, 15), AppealKind.RECONSIDERATION, outcome=AppealOutcome.CORRECTED, decided=day(9, 2))
    appeal(office, r8, day(9, 20), AppealKind.LITIGATION, after=True)  # pending
    reply(office, portal(office, day(7, 2)), day(7, 9), Outcome.NOT_HANDLED, Ground.REPEAT)
    r10 = portal(office, day(8, 5))
    with on(day(8, 6)):
        services.correction_request(actor=officer, request=r10, what="请说明所需信息的年份", period=5)
    with on(day(8, 20)):
        lapsed = services.request_lapse(request=r10)
    assert lapsed is not None and lapsed.ground == Ground.NOT_CORRECTED
    r11 = portal(office, day(9, 2))
    with on(day(9, 3)):
        services.request_extend(actor=office["head"], request=r11, days=20, reason="涉及多年档案，检索量大")
    reply(office, r11, day(10, 15), Outcome.REFUSED, Ground.INTERNAL_AFFAIRS)
    # Filed in 2024, decided in 2025: not yet concluded on 31 December.
    appeal(office, r11, day(11, 1), AppealKind.RECONSIDERATION, outcome=AppealOutcome.UPHELD,
           decided=day(1, 15, 2025))  # fmt: skip
    reply(office, portal(office, day(10, 8)), day(10, 15), Outcome.OTHER, Ground.SPECIAL_LAW)
    # Carried into 2025: one replied in January, one still open.
    reply(office, portal(office, day(12, 20)), day(1, 6, 2025), Outcome.PROVIDED)
    still_open = portal(office, day(12, 23), company=RequesterKind.COMPANY)
    portal(office, day(1, 6, 2025))  # next year's

    # Responses, meetings, complaints and the office's year.
    responses = [
        (ResponseKind.PRESS_CONFERENCE, "老旧小区改造", day(3, 15), True),
        (ResponseKind.PRESS_CONFERENCE, "老旧小区改造", day(4, 15), False),
        (ResponseKind.ONLINE_INTERVIEW, "营商环境", day(5, 20), True),
        (ResponseKind.INTERPRETATION, "营商环境", day(5, 21), False),
        (ResponseKind.SOCIAL_MEDIA, "停水", day(6, 3), False),
        (ResponseKind.OTHER, "防汛", day(7, 1), False),
        (ResponseKind.PRESS_CONFERENCE, "去年的话题", day(11, 1, 2023), True),
    ]
    for kind, topic, when, principal in responses:
        with on(when):
            services.response_record(actor=officer, body=body, kind=kind, topic=topic, on=when,
                                     principal_attended=principal)  # fmt: skip
    meetings = [
        (MeetingKind.MEETING, "政务公开工作例会", day(2, 20), 12),
        (MeetingKind.MEETING, "保密审查专题会", day(9, 10), 8),
        (MeetingKind.TRAINING, "政府信息公开条例培训", day(4, 18), 30),
        (MeetingKind.TRAINING, "去年的培训", day(11, 20, 2023), 25),
    ]
    for kind, title, when, attendees in meetings:
        with on(when):
            services.meeting_record(actor=officer, body=body, kind=kind, title=title, on=when, attendees=attendees)
    for when in (day(3, 20), day(10, 9), day(12, 1, 2023)):
        with on(when):
            services.complaint_record(actor=officer, body=body, summary="答复超期", received_on=when)
    services.office_year_save(actor=officer, body=body, year=YEAR, offices=1, reading_points=2, full_time_staff=1,
                              part_time_staff=3, budget="10.5")  # fmt: skip
    return {**office, "still_open": still_open}


# The national table 三, column by column: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
REQUESTS_2024 = {
    "new": [8, 2, 1, 1, 1, 1, 14],
    "carried": [1, 0, 0, 0, 0, 0, 1],
    "results": [None] * 7,
    "public": [3, 0, 0, 0, 0, 0, 3],
    "partly": [0, 1, 0, 0, 0, 0, 1],
    "refused": [1, 0, 1, 1, 0, 0, 3],
    "refused.1": [0, 0, 1, 0, 0, 0, 1],
    "refused.2": [0] * 7,
    "refused.3": [0] * 7,
    "refused.4": [0, 0, 0, 1, 0, 0, 1],
    "refused.5": [1, 0, 0, 0, 0, 0, 1],
    "refused.6": [0] * 7,
    "refused.7": [0] * 7,
    "refused.8": [0] * 7,
    "cannot": [1, 0, 0, 0, 1, 1, 3],
    "cannot.1": [0, 0, 0, 0, 1, 1, 2],
    "cannot.2": [1, 0, 0, 0, 0, 0, 1],
    "cannot.3": [0] * 7,
    "not_handled": [1, 0, 0, 0, 0, 0, 1],
    "not_handled.1": [0] * 7,
    "not_handled.2": [1, 0, 0, 0, 0, 0, 1],
    "not_handled.3": [0] * 7,
    "not_handled.4": [0] * 7,
    "not_handled.5": [0] * 7,
    "other": [2, 0, 0, 0, 0, 0, 2],
    "other.1": [1, 0, 0, 0, 0, 0, 1],
    "other.2": [0] * 7,
    "other.3": [1, 0, 0, 0, 0, 0, 1],
    "total": [8, 1, 1, 1, 1, 1, 13],
    "next": [1, 1, 0, 0, 0, 0, 2],
}

STATISTICS_2016: dict[str, int | Decimal | None] = {
    "1": None, "1.1": 4, "1.1.a": 1, "1.1.b": 1, "1.2": None,
    "1.2.1": 1, "1.2.2": 3, "1.2.3": 1, "1.2.4": 1, "1.2.5": 1,
    "2": None, "2.1": 4, "2.2": None, "2.2.1": 2, "2.2.1.a": 1, "2.2.2": 1, "2.2.2.a": 1, "2.2.3": 1,
    "2.2.4": 1, "2.2.5": 1,
    "3": None, "3.1": 14, "3.1.1": 1, "3.1.2": 1, "3.1.3": 11, "3.1.4": 1,
    "3.2": 13, "3.2.1": 12, "3.2.2": 1,
    "3.3": 13, "3.3.1": 1, "3.3.2": 2, "3.3.3": 1, "3.3.4": 3,
    "3.3.4.1": 1, "3.3.4.2": 0, "3.3.4.3": 1, "3.3.4.4": 0, "3.3.4.5": 1, "3.3.4.6": 0,
    "3.3.5": 1, "3.3.6": 1, "3.3.7": 1, "3.3.8": 2,
    "3.3.x": 2, "3.3.x.1": 1, "3.3.x.2": 0, "3.3.x.3": 1, "3.3.x.4": 0, "3.3.x.5": 0,
    "4": 3, "4.1": 1, "4.2": 1, "4.3": 0, "4.x": 1,
    "5": 2, "5.1": 0, "5.2": 0, "5.3": 1, "5.x": 1,
    "6": 2, "7": Decimal("0.01"),
    "8": None, "8.1": 1, "8.2": 2, "8.3": 4, "8.3.1": 1, "8.3.2": 3, "8.4": Decimal("10.5"),
    "9": None, "9.1": 2, "9.2": 1, "9.3": 30,
}  # fmt: skip


def rows(report: NationalReport) -> dict[str, list[Any]]:
    assert report.requests is not None
    return {line.code: list(line.values) for line in report.requests.lines}


# --- the national format ----------------------------------------------------------------------------------------


def test_the_national_report_counts_a_year_of_records(records: dict[str, Any]) -> None:
    report = national_report(records["body"], YEAR)
    assert report.title == f"{records['body'].name}2024年政府信息公开工作年度报告"
    assert report.documents is not None and report.licensing is not None
    assert report.penalties is not None and report.fees is not None and report.appeals is not None
    # 规章 and 规范性文件: issued this year, repealed this year, in force on 31 December.
    assert [list(line.values) for line in report.documents.lines] == [[0, 0, 1], [1, 1, 1]]
    assert report.licensing.value("licensing") == 0
    assert report.penalties.value("penalty") == 1 and report.penalties.value("enforcement") == 1
    assert report.fees.value("fees") == Decimal(0) and report.fees.note
    assert rows(report) == REQUESTS_2024
    assert {line.code: list(line.values) for line in report.appeals.lines} == {
        "reconsideration": [1, 1, 0, 1, 3],
        "litigation_direct": [0, 0, 1, 0, 1],
        "litigation_after": [0, 0, 0, 1, 1],
    }
    assert report.check() == []


def test_new_and_carried_equal_results_and_carried_to_next_year_in_every_column(records: dict[str, Any]) -> None:
    for year in (2023, 2024, 2025):
        report = national_report(records["body"], year)
        assert report.requests is not None
        for column in report.requests.columns:
            new, carried, total, following = (
                report.requests.value(code, column.key) for code in ("new", "carried", "total", "next")
            )
            assert new + carried == total + following, (year, column.key)  # type: ignore[operator]
        assert report.check() == [], year
    # What 2024 carried into 2025 is what 2025 carries over from 2024.
    assert national_report(records["body"], 2025).requests.value("carried", "total") == 2  # type: ignore[union-attr]
    assert national_report(records["body"], 2023).requests.value("next", "total") == 1  # type: ignore[union-attr]


def test_a_broken_dataset_is_reported_by_the_check(office: dict[str, Any]) -> None:
    body = office["body"]
    # Not possible through the services: replied in 2024 to a request received in 2025; a refusal without its
    # ground; a late reply without an extension.
    future = DisclosureRequest.objects.create(
        body=body, number="YSQ-BROKEN-1", requester_kind=RequesterKind.NATURAL_PERSON, requester_name="某甲",
        identity_digest="x", channel=RequestChannel.ONLINE, description="x", delivery=Delivery.ONLINE,
        received_on=day(1, 5, 2025), status=RequestStatus.REPLIED, replied_on=day(12, 30),
    )  # fmt: skip
    Reply.objects.create(request=future, outcome=Outcome.PROVIDED, text="x", delivery=Delivery.ONLINE,
                         replied_on=day(12, 30), on_time=True, extended=False, pdf="x.pdf")  # fmt: skip
    groundless = DisclosureRequest.objects.create(
        body=body, number="YSQ-BROKEN-2", requester_kind=RequesterKind.COMPANY, requester_name="某公司",
        identity_digest="y", channel=RequestChannel.ONLINE, description="y", delivery=Delivery.ONLINE,
        received_on=day(3, 1), status=RequestStatus.REPLIED, replied_on=day(5, 6),
    )  # fmt: skip
    Reply.objects.create(request=groundless, outcome=Outcome.REFUSED, ground="", text="y", delivery=Delivery.ONLINE,
                         replied_on=day(5, 6), on_time=False, extended=False, pdf="y.pdf")  # fmt: skip

    problems = national_report(body, YEAR).check()
    assert any("自然人" in p and "本年新收（0）" in p for p in problems), problems
    assert any("（三）不予公开" in p and "商业企业" in p for p in problems), problems
    old = report_2016(body, YEAR).check()
    assert any(p.startswith("（二）申请办结数") for p in old), old  # the late reply is neither on time nor extended
    assert any(p.startswith("4. 不同意公开答复数") for p in old), old


def test_licensing_decisions_are_the_departments_cases_decided_in_the_year(
    make_user: Callable[..., User], city: Region, demo_catalogue: None
) -> None:
    from yiwang.cases import services as case_services
    from yiwang.cases.models import Case, TaskState
    from yiwang.cases.tests.test_back_office import _accepted

    market = Department.objects.get(short_name="市场监管局")
    people = {"clerk": make_user(Role.CLERK, region=city)}
    approver = make_user(Role.APPROVER, department=market)
    cases = [_accepted(people) for _ in range(4)]
    for case, decision in zip(cases[:3], ("approve", "reject", "approve"), strict=True):
        while case.tasks.exclude(state=TaskState.DONE).exists():
            case_services.case_task_complete(actor=approver, case=case, opinion="审查通过")
        case_services.case_decide(actor=approver, case=case, decision=decision, opinion="决定")
    at = {0: datetime(2024, 3, 1, 9, tzinfo=SHANGHAI), 1: datetime(2024, 12, 31, 23, 30, tzinfo=SHANGHAI),
          2: datetime(2025, 1, 1, 0, 10, tzinfo=SHANGHAI)}  # fmt: skip
    for index, when in at.items():
        Case.objects.filter(pk=cases[index].pk).update(decided_at=when)
    report = national_report(market, YEAR)
    assert report.licensing is not None and report.licensing.value("licensing") == 2


def test_each_report_is_a_handful_of_queries(records: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    body = records["body"]
    with django_assert_max_num_queries(4):
        national_report(body, YEAR).check()
    with django_assert_max_num_queries(9):
        report_2016(body, YEAR).check()
    with django_assert_max_num_queries(2):
        report_index()


# --- the 2016 format ------------------------------------------------------------------------------------------


def test_the_2016_report_counts_the_same_year_in_the_old_form(records: dict[str, Any]) -> None:
    report = report_2016(records["body"], YEAR)
    assert report.statistics is not None
    assert {line.code: line.values[0] for line in report.statistics.lines} == STATISTICS_2016
    assert report.check() == []
    assert report.remarks == ()
    units = {line.code: line.unit for line in report.statistics.lines}
    assert units["1.1"] == "条" and units["2.2.3"] == "篇" and units["7"] == "万元" and units["9.3"] == "人次"
    wording = {line.code: line.text for line in report.statistics.lines}
    assert wording["1.1"] == "（一）主动公开政府信息数"
    assert wording["3.3.4.4"] == "危及国家安全、公共安全、经济安全和社会稳定"
    assert wording["8.3.1"] == "1. 专职人员数（不包括政府公报及政府网站工作人员数）"
    # Without the office's year: zeros and a remark.
    bare = report_2016(records["other_body"], YEAR)
    assert bare.statistics is not None and bare.statistics.value("8.3") == 0 and bare.remarks


# --- Excel and PDF --------------------------------------------------------------------------------------------


def cells_of(data: bytes) -> dict[str, list[Any]]:
    """Each row of every sheet by the text of its first cell."""
    book = load_workbook(io.BytesIO(data))
    found: dict[str, list[Any]] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and isinstance(row[0], str):
                found.setdefault(row[0], list(row[1:]))
    return found


def test_both_formats_as_excel_with_numbers_as_numbers(records: dict[str, Any]) -> None:
    national = national_report(records["body"], YEAR)
    book = load_workbook(io.BytesIO(report_export.workbook(national)))
    assert len(book.worksheets) == 3
    assert book.worksheets[0]["A1"].value == national.title
    cells = cells_of(report_export.workbook(national))
    assert cells["一、本年新收政府信息公开申请数量"][:7] == [8, 2, 1, 1, 1, 1, 14]
    assert cells["（一）予以公开"][:7] == [3, 0, 0, 0, 0, 0, 3]
    assert cells["四、结转下年度继续办理"][:7] == [1, 1, 0, 0, 0, 0, 2]
    assert cells["行政规范性文件"][:3] == [1, 1, 1]
    assert cells["行政复议"][:5] == [1, 1, 0, 1, 3]

    old = cells_of(report_export.workbook(report_2016(records["body"], YEAR)))
    assert old["（一）主动公开政府信息数"][:2] == ["条", 4]
    assert old["3. 网络申请数"][:2] == ["件", 11]
    assert old["七、依申请公开信息收取的费用"][1] == pytest.approx(0.01)
    assert old["（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）"][
        1
    ] == pytest.approx(10.5)
    assert isinstance(old["（三）接受培训人员数"][1], int)


def text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_both_formats_as_pdf_with_blank_or_given_narratives(records: dict[str, Any]) -> None:
    national = national_report(records["body"], YEAR)
    data = report_export.pdf(national)
    assert data.startswith(b"%PDF")
    text = text_of(data).replace("\n", "")
    assert f"{records['body'].name}2024年政府信息公开工作年度报告" in text
    for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in text
    given = text_of(report_export.pdf(national, {"overview": "本年度本机关依法公开政府信息。"})).replace("\n", "")
    assert "本年度本机关依法公开政府信息。" in given
    old = text_of(report_export.pdf(report_2016(records["body"], YEAR))).replace("\n", "")
    assert "政府信息公开情况统计表" in old and "四、其他需要报告的事项" in old


# --- the public pages -------------------------------------------------------------------------------------------


def test_the_list_of_reports_and_a_report_page_in_both_formats(client: Client, records: dict[str, Any]) -> None:
    body = records["body"]
    listing = client.get("/disclosure/reports/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert body.name in page and f"/disclosure/reports/{body.pk}/2024/" in page
    assert records["other_body"].name not in page  # no disclosure record
    assert [e.years for e in report_index() if e.body_id == body.pk] == [(2025, 2024, 2023, 2022)]

    national = client.get(f"/disclosure/reports/{body.pk}/2024/")
    assert national.status_code == 200
    html = national.content.decode()
    assert html.count("<caption") == 6 and 'scope="row"' in html and 'scope="colgroup"' in html
    assert html.count('tabindex="0"') == 6 and 'role="region"' in html
    assert "（一）予以公开" in html and "message-success" in html
    assert f"/disclosure/reports/{body.pk}/2024/report.xlsx" in html
    assert f"/disclosure/reports/{body.pk}/2024/report.pdf" in html

    old = client.get(f"/disclosure/reports/{body.pk}/2024/", {"format": "2016"})
    assert old.status_code == 200
    html = old.content.decode()
    assert "政府信息公开情况统计表" in html and "告知作出更改补充数" in html
    assert "report.pdf?format=2016" in html

    xlsx = client.get(f"/disclosure/reports/{body.pk}/2024/report.xlsx", {"format": "2016"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == report_export.XLSX_TYPE
    assert cells_of(xlsx.content)["（一）收到申请数"][:2] == ["件", 14]
    pdf = client.get(f"/disclosure/reports/{body.pk}/2024/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "2024年政府信息公开工作年度报告" in text_of(pdf.content).replace("\n", "")


def test_a_report_that_does_not_add_up_says_so(client: Client, office: dict[str, Any]) -> None:
    request = DisclosureRequest.objects.create(
        body=office["body"], number="YSQ-BROKEN-3", requester_kind=RequesterKind.NATURAL_PERSON,
        requester_name="某乙", identity_digest="z", channel=RequestChannel.ONLINE, description="z",
        delivery=Delivery.ONLINE, received_on=day(1, 5, 2025), status=RequestStatus.REPLIED, replied_on=day(12, 30),
    )  # fmt: skip
    Reply.objects.create(request=request, outcome=Outcome.PROVIDED, text="z", delivery=Delivery.ONLINE,
                         replied_on=day(12, 30), on_time=True, extended=False, pdf="z.pdf")  # fmt: skip
    page = client.get(f"/disclosure/reports/{office['body'].pk}/2024/")
    assert page.status_code == 200
    assert "message-error" in page.content.decode()


def test_unknown_bodies_and_years_outside_the_range_are_not_found(client: Client, office: dict[str, Any]) -> None:
    body = office["body"].pk
    next_year = timezone.localdate().year + 1
    for path in (
        f"/disclosure/reports/{body}/1999/",
        f"/disclosure/reports/{body}/{next_year}/",
        f"/disclosure/reports/{body}/99999999999999999999/",
        "/disclosure/reports/999999/2024/",
        "/disclosure/reports/99999999999999999999/2024/",
        "/disclosure/reports/0/2024/",
        f"/disclosure/reports/{body}/1999/report.xlsx",
        "/disclosure/reports/999999/2024/report.pdf",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/disclosure/reports/{body}/{timezone.localdate().year}/").status_code == 200
    assert client.post(f"/disclosure/reports/{body}/2024/").status_code == 405
