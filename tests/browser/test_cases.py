"""One case walked through the workbench in a real browser, over the 2026 National Day holiday (issue 5).

The server's clock is moved (time-machine, which the live server thread shares) to the days on which
each person acts, so every deadline shown is the one the working-day calendar gives for that day:

    Mon 28 Sep  the window registers the application; one material is missing: correction notice
    Tue 29 Sep  the corrected material arrives; accepted: promised 5 working days -> Mon 12 Oct
                (1-7 Oct off; Sat 10 Oct is a make-up working day), statutory 10 -> Mon 19 Oct
    Wed 30 Sep  the approver finishes the review step and starts a site inspection (clock stops)
    Fri  9 Oct  the inspection ends: 8 and 9 Oct are not counted -> due Wed 14 Oct
                the approver asks for 3 more working days; the head approves -> due Mon 19 Oct
    Mon 12 Oct  the approver decides (准予许可) and concludes
    Tue 13 Oct  the hand-out window gives the licence to the applicant
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import _open_page, assert_fits_the_screen
from tests.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
ITEM = "食品经营许可（新办）"
MISSING = "食品安全管理制度文本"


@pytest.fixture
def site(live_server, demo_catalogue) -> str:  # type: ignore[no-untyped-def]
    return str(live_server.url)


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes("scanned at the window"))
    return path


@pytest.fixture
def on_day(settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Moves the clock to a day of 2026; the demo's passwords were set on the suite's own day, which may
    lie months away, and their age is not what these tests are about."""
    settings.YIWANG_PASSWORD_MAX_AGE_DAYS = 0
    travels: list[time_machine.travel] = []

    def move(month: int, day: int, hour: int = 10) -> None:
        if travels:
            travels.pop().stop()
        travel = time_machine.travel(datetime(2026, month, day, hour, tzinfo=SHANGHAI), tick=True)
        travel.start()
        travels.append(travel)

    yield move
    for travel in travels:
        travel.stop()


class Desk:
    """One person's browser session on the workbench, opened afresh each day (sessions time out)."""

    def __init__(self, browser: Browser, site: str, username: str, password: str, phone: bool = False) -> None:
        viewport = {"width": 375, "height": 740} if phone else {"width": 1280, "height": 900}
        self.page, self.problems = _open_page(browser, viewport)
        self.site = site
        page = self.page
        page.goto(f"{site}/accounts/login/?next=/workbench/cases/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("办件")

    def open_case(self, number: str) -> Page:
        self.page.get_by_label("办件编号或申请人").fill(number)
        self.page.get_by_role("button", name="查看").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(number)
        return self.page

    def close(self) -> None:
        self.page.wait_for_load_state("networkidle")  # let the favicon arrive before the tab goes
        self.page.context.close()
        assert not self.problems, "\n".join(self.problems)


def _facts(page: Page) -> dict[str, str]:
    facts = page.locator("dl.facts > div")
    return {
        facts.nth(i).locator("dt").inner_text(): facts.nth(i).locator("dd").inner_text() for i in range(facts.count())
    }


def test_one_case_from_the_window_to_hand_out_over_national_day(  # type: ignore[no-untyped-def]
    browser: Browser, site: str, settings, scan: Path, on_day
) -> None:
    password = settings.YIWANG_DEMO_PASSWORD

    # Mon 28 Sep: the general window registers the application with one material missing.
    on_day(9, 28)
    clerk = Desk(browser, site, "demo-clerk", password)
    page = clerk.page
    page.get_by_role("link", name="窗口收件").first.click()
    page.get_by_placeholder("查找事项：名称、关键词或拼音首字母").fill("spjyxk")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name=ITEM).click()
    page.get_by_label("法人").check()
    page.get_by_label("名称", exact=True).fill("示范餐饮有限公司")
    page.get_by_label("证件类型").select_option("credit_code")
    page.get_by_label("证件号码").fill("91350100M000100Y43")
    page.get_by_label("证件号码").press("Tab")  # the window learns at once whether there is an online account
    expect(page.locator("#applicant-match")).to_contain_text("未注册网上账户")
    page.get_by_label("主体业态 *").select_option("餐饮服务经营者")
    page.get_by_label("经营场所面积（平方米） *").fill("120")
    checklist = page.locator("table.data")
    for row in range(checklist.locator("input[type=file]").count()):
        upload = checklist.locator("input[type=file]").nth(row)
        label = page.locator(f"label[for='{upload.get_attribute('id')}']").inner_text()
        if label != MISSING:
            upload.set_input_files(scan)
    page.get_by_role("button", name="登记申请").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(ITEM)
    number = re.search(r"\d{6}-20260928-\d{6}", heading.inner_text()).group(0)  # type: ignore[union-attr]
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    assert _facts(page)["状态"] == "已申报"
    assert _facts(page)["承诺办结日期"] == "—"  # the clock has not started

    correction = page.locator("form", has=page.get_by_role("button", name="发出补正通知"))
    expect(correction.get_by_label(MISSING)).to_be_checked()  # missing materials are ticked already
    correction.get_by_placeholder("需补正内容").first.fill("未提交，请补交加盖公章的制度文本")
    correction.get_by_role("button", name="发出补正通知").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "correction_requested")
    expect(page.get_by_role("link", name=re.compile("补正材料通知书"))).to_be_visible()
    notice = page.request.get(site + f"/api/v1/cases/{number}/notices/correction")
    assert notice.status == 200 and notice.body().startswith(b"%PDF")
    clerk.close()

    # Tue 29 Sep: the applicant brings the corrected material; the window accepts.
    on_day(9, 29)
    clerk = Desk(browser, site, "demo-clerk", password)
    page = clerk.open_case(number)
    page.get_by_label(MISSING).set_input_files(scan)
    page.get_by_role("button", name="收取材料").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "in_review")
    facts = _facts(page)
    assert facts["承诺办结日期"] == "2026-10-12"  # five working days over the National Day week
    assert facts["法定办结日期"] == "2026-10-19"
    assert "剩余 5 个工作日" in facts["剩余时间"]
    expect(page.get_by_role("link", name=re.compile("受理通知书"))).to_be_visible()
    history = page.locator("ol.steps")
    expect(history).to_contain_text("发出补正材料通知")
    expect(history).to_contain_text("收到补正材料")
    assert page.locator("[data-event]").evaluate_all("els => els.map(e => e.dataset.event)") == [
        "submit",
        "request_correction",
        "resubmit",
        "accept",
    ]
    clerk.close()

    # Wed 30 Sep: the approver takes the case from the inbox, finishes the review, starts a site inspection.
    on_day(9, 30)
    approver = Desk(browser, site, "demo-approver", password)
    page = approver.page
    page.get_by_role("link", name="本部门待审查").click()
    row = page.get_by_role("row", name=re.compile(number))
    expect(row).to_contain_text("剩余 4 个工作日")
    row.get_by_role("link", name=number).click()
    page.get_by_label("本环节办理意见").fill("材料齐全，符合法定形式，建议现场核查经营场所")
    page.get_by_role("button", name="完成本环节").click()
    page.get_by_label("程序").select_option("site_inspection")
    page.get_by_label("理由", exact=True).first.fill("需现场核查经营场所布局")
    page.get_by_label("预计工作日数").fill("3")
    page.get_by_role("button", name="启动特别程序").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "suspended")
    assert "计时暂停" in _facts(page)["剩余时间"] and "剩余 4 个工作日" in _facts(page)["剩余时间"]
    approver.close()

    # Fri 9 Oct: the inspection is over (8 and 9 Oct not counted); the approver asks for 3 more days.
    on_day(10, 9)
    approver = Desk(browser, site, "demo-approver", password)
    page = approver.open_case(number)
    assert "计时暂停" in _facts(page)["剩余时间"]  # still the count of 30 Sep while the clock stood
    page.get_by_label("特别程序结果").fill("现场核查合格")
    page.get_by_role("button", name="恢复审查").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "in_review")
    facts = _facts(page)
    assert facts["承诺办结日期"] == "2026-10-14"
    assert "剩余 4 个工作日" in facts["剩余时间"]
    expect(page.locator("section", has_text="期限变更记录")).to_contain_text("2026-10-12 → 2026-10-14")
    extension = page.locator("form", has=page.get_by_role("button", name="提交延期申请"))
    extension.get_by_label("工作日").fill("3")
    extension.get_by_label("理由（将告知申请人）").fill("需征求卫生健康部门意见")
    extension.get_by_role("button", name="提交延期申请").click()
    expect(page.get_by_text("已申请延期 3 个工作日：需征求卫生健康部门意见")).to_be_visible()
    approver.close()

    head = Desk(browser, site, "demo-dept-head", password)
    page = head.page
    page.get_by_role("link", name="待审批的延期申请").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="批准", exact=True).click()
    facts = _facts(page)
    assert facts["承诺办结日期"] == "2026-10-19"  # 14 Oct + 3 working days
    assert "剩余 7 个工作日" in facts["剩余时间"]  # Sat 10 Oct is a make-up working day
    head.close()

    # Mon 12 Oct: the decision step, the decision and the conclusion.
    on_day(10, 12)
    approver = Desk(browser, site, "demo-approver", password)
    page = approver.open_case(number)
    assert "剩余 5 个工作日" in _facts(page)["剩余时间"]
    page.get_by_label("本环节办理意见").fill("同意准予许可")
    page.get_by_role("button", name="完成本环节").click()
    page.get_by_label("准予许可").check()
    page.get_by_label("意见", exact=True).fill("符合《食品安全法》第三十五条规定的条件，准予许可")
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "decided")
    page.get_by_label("结果编号").fill("JY13599000000001")
    page.get_by_role("button", name="办结").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "concluded")
    expect(page.get_by_role("link", name="行政许可决定书（PDF）")).to_be_visible()
    approver.close()

    # Tue 13 Oct: the unified hand-out window (统一窗口出件), on a phone-sized screen.
    on_day(10, 13)
    clerk = Desk(browser, site, "demo-clerk", password, phone=True)
    page = clerk.page
    page.get_by_role("link", name="待出件").click()
    page.get_by_role("link", name=number).click()
    page.get_by_label("窗口领取").check()
    page.get_by_label("领取人").fill("王经理")
    page.get_by_role("button", name="确认出件").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "delivered")
    assert page.locator("[data-event]").evaluate_all("els => els.map(e => e.dataset.event)") == [
        "submit",
        "request_correction",
        "resubmit",
        "accept",
        "task_complete",
        "suspend",
        "resume",
        "extension_request",
        "extend",
        "task_complete",
        "decide",
        "conclude",
        "hand_out",
    ]
    assert _facts(page)["到现场次数"] == "3"  # registration, corrected materials, collecting the licence
    assert_fits_the_screen(page)
    clerk.close()
