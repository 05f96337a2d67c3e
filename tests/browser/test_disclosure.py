"""依申请公开 in a real browser, on a desktop and a phone (issue 20): demo-citizen asks the demo service
centre for information on the portal; its office asks for a correction (the clock restarts when it comes),
consults a third party (the days paused), the head grants an extension, the office releases a document with
the personal data removed and replies "partly provided"; a reconsideration is recorded. The requester's page
shows every due date's computation, the released copy holds none of the removed text, and the annual
report counts the request exactly in both formats."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen
from tests.browser.test_trading import Clock, act_as, forgive, said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city, settings, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return str(live_server.url)


def _head() -> Any:
    """The head of the centre's disclosure office, who approves an extension (§33)."""
    from django.conf import settings

    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import role_grant, user_create
    from yiwang.demo.city import demo_departments

    head = user_create(
        username="disclosure-head", password=settings.YIWANG_DEMO_PASSWORD, kind="staff", full_name="卫主任"
    )
    role_grant(actor=None, user=head, role=Role.DEPT_HEAD, department=demo_departments()["services"], region=None)
    return head


def _working_day(clock: Clock, days: int, start: Any) -> Any:
    from yiwang.calendar.workdays import add_working_days

    day = add_working_days(start, days).date
    clock.to(timezone.make_aware(datetime.combine(day, time(10))))
    return day


def test_a_request_from_the_portal_to_a_partly_provided_reply(page: Page, site: str, tmp_path: Path) -> None:
    from yiwang.demo.city import demo_departments
    from yiwang.disclosure.models import DisclosureRequest
    from yiwang.disclosure.redaction.tests.documents import MOBILE, VALID_ID, digits_only, letter_pdf, texts_pdfium
    from yiwang.disclosure.report import national_report, report_2016

    body = demo_departments()["services"]
    _head()
    clock = Clock()
    start = timezone.localdate()
    try:
        # The citizen asks, in their own name.
        act_as(page, site, "demo-citizen", "/disclosure/apply/")
        expect(page.locator("h1")).to_have_text("申请获取政府信息")
        assert_fits_the_screen(page)
        page.get_by_label("掌握信息的行政机关").select_option(str(body.pk))
        page.locator("#a-desc").fill("2025年示范市政务服务中心窗口人员招聘公示材料")
        page.get_by_label("联系电话").fill("13712345678")
        page.get_by_role("button", name="提交申请").click()
        said(page, "已于今日收到")
        made = DisclosureRequest.objects.get()
        expect(page.get_by_test_id("computation")).to_be_attached()
        assert_fits_the_screen(page)

        # The office asks once for a correction; the citizen corrects; the count restarts.
        _working_day(clock, 1, start)
        act_as(page, site, "demo-disclosure-officer", f"/workbench/disclosure/requests/{made.pk}/")
        page.get_by_text("告知补正（第三十条）").click()
        page.locator("#s-what").fill("请写明招聘岗位和公示日期")
        page.get_by_role("button", name="发出补正告知").click()
        said(page, "补正告知已发出")
        corrected_on = _working_day(clock, 3, start)
        act_as(page, site, "demo-citizen", f"/disclosure/mine/{made.pk}/")
        expect(page.get_by_text("请写明招聘岗位和公示日期")).to_be_visible()
        page.get_by_label("补正内容").fill("综合窗口岗位，2025年6月公示")
        page.get_by_role("button", name="提交补正").click()
        said(page, "重新计算")

        # A third party is consulted (§32): four working days not counted.
        consulted_on = _working_day(clock, 4, start)
        act_as(page, site, "demo-disclosure-officer", f"/workbench/disclosure/requests/{made.pk}/")
        page.get_by_text("征求第三方或其他机关意见").click()
        page.locator("#s-pname").fill("应聘人员本人")
        page.get_by_role("button", name="登记征求意见书").click()
        said(page, "所需时间不计入")
        _working_day(clock, 8, start)
        act_as(page, site, "demo-disclosure-officer", f"/workbench/disclosure/requests/{made.pk}/")
        page.locator("#s-ans").fill("第三方不同意公开其身份证号和手机号")
        page.get_by_role("button", name="登记意见").click()
        said(page, "继续计算")

        # The head grants one extension of ten working days (§33).
        _working_day(clock, 9, start)
        act_as(page, site, "disclosure-head", f"/workbench/disclosure/requests/{made.pk}/")
        page.locator("#x-days").fill("10")
        page.locator("#x-reason").fill("需逐页审核应聘材料")
        page.get_by_role("button", name="同意延期").click()
        said(page, "已同意延期")

        # The office releases the document with the personal data removed and replies "partly provided".
        _working_day(clock, 10, start)
        act_as(page, site, "demo-disclosure-officer", f"/workbench/disclosure/requests/{made.pk}/")
        document = tmp_path / "应聘材料.pdf"
        document.write_bytes(letter_pdf())
        page.set_input_files("#doc-file", str(document))
        page.get_by_role("button", name="添加并识别个人信息").click()
        expect(page.get_by_test_id("areas")).to_contain_text("身份证号")
        page.get_by_role("button", name="确认勾选的区域").click()
        page.get_by_role("button", name="生成提供件").click()
        expect(page.get_by_test_id("released")).to_be_visible()
        page.locator("#r-outcome").select_option("partly")
        page.get_by_role("button", name="显示此类答复的理由").click()
        page.locator("#r-ground-select").select_option("privacy")
        expect(page.locator("#r-text")).to_contain_text("其余部分因以下理由不予公开")
        page.get_by_role("button", name="作出答复").click()
        said(page, "已作出答复")
        expect(page.get_by_test_id("outcome")).to_have_text("部分公开")
        # A reconsideration is recorded against the reply.
        page.locator("#ap-auth").fill("示范市人民政府")
        page.locator("#ap-on").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name="登记复议或诉讼").click()
        said(page, "复议或诉讼已登记")

        # The requester reads the reply, the computation and the released copy.
        act_as(page, site, "demo-citizen", f"/disclosure/mine/{made.pk}/")
        expect(page.get_by_test_id("status")).to_have_text("已答复")
        computation = page.get_by_test_id("computation")
        expect(computation).to_contain_text("收到补正后的申请：重新起算")
        expect(computation).to_contain_text("征求意见")
        assert_fits_the_screen(page)
        with page.expect_download() as download:
            page.get_by_role("link", name=f"{made.number}-1.pdf").click()
        released = Path(download.value.path()).read_bytes()
        text = texts_pdfium(released)
        assert VALID_ID not in digits_only(text) and MOBILE not in digits_only(text)

        # The annual report counts it, in both formats (looked at before the clock returns).
        made.refresh_from_db()
        assert made.events.filter(kind="corrected", on=corrected_on).exists()
        assert made.events.filter(kind="consultation_started", on=consulted_on).exists()
        reply = made.reply
        assert reply.extended and reply.on_time
        received, replied = made.received_on.year, reply.replied_on.year
        national = national_report(body, replied)
        assert national.requests is not None and national.appeals is not None
        column = "natural_person"
        assert national.requests.value("partly", column) == 1 and national.requests.value("total", column) == 1
        assert national.requests.value("new", column) == (1 if received == replied else 0)
        assert national.appeals.value("reconsideration", "pending") == 1
        assert national.check() == []
        old = report_2016(body, replied)
        assert old.statistics is not None
        assert old.statistics.value("3.3.3") == 1 and old.statistics.value("3.2.2") == 1
        assert old.statistics.value("4") == 1
        assert old.check() == []
        page.goto(f"{site}/disclosure/reports/{body.pk}/{replied}/")
        expect(page.locator("body")).to_contain_text("部分公开")
        page.goto(f"{site}/disclosure/reports/{body.pk}/{replied}/?format=2016")
        expect(page.locator("body")).to_contain_text("同意部分公开答复数")
    finally:
        clock.stop()


def test_a_request_without_an_account_with_an_identity_document(page: Page, site: str) -> None:
    """§29(2)(1) on the portal: no account, an ID card photo; the number and follow-up code shown once lead
    back to the request from a browser that has forgotten everything."""
    from tests.files import image_bytes
    from yiwang.core.identifiers import resident_id_with_check
    from yiwang.demo.city import demo_departments
    from yiwang.disclosure.models import DisclosureRequest

    body = demo_departments()["services"]
    page.goto(f"{site}/disclosure/")
    page.get_by_role("link", name="提出申请").first.click()
    expect(page.locator("h1")).to_have_text("申请获取政府信息")
    page.get_by_label("掌握信息的行政机关").select_option(str(body.pk))
    page.get_by_label("姓名或名称").fill("李四")
    page.get_by_label("身份证号码或统一社会信用代码").fill(resident_id_with_check("33010219800101123"))
    page.locator("#a-desc").fill("2025年示范市政务服务中心大厅改造经费")
    page.get_by_label("联系电话").fill("13712345678")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#a-doc + .errorlist")).to_contain_text("身份证明")  # nothing sent without it
    assert not DisclosureRequest.objects.exists()
    forgive(page, 422)
    page.locator("#a-doc").set_input_files(
        files=[{"name": "身份证.png", "mimeType": "image/png", "buffer": image_bytes("PNG")}]
    )
    page.get_by_role("button", name="提交申请").click()
    code = page.get_by_test_id("follow-code").inner_text()
    made = DisclosureRequest.objects.get()
    assert made.requester_id is None and made.identity_document
    expect(page.get_by_test_id("computation")).to_be_attached()
    assert_fits_the_screen(page)

    page.context.clear_cookies()
    page.goto(f"{site}/disclosure/follow/")
    page.get_by_label("申请编号").fill(made.number)
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.locator("h1")).to_contain_text(made.number)
    expect(page.get_by_test_id("follow-code")).to_have_count(0)  # shown once, never again
    assert_fits_the_screen(page)
