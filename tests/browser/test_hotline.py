"""One 12345 ticket round the whole loop in real browsers (issue 8): the agent takes the call, the
dispatcher sends it to the street office by the catalogue, the street returns it (a construction
site is the housing bureau's), the dispatcher reviews the return and re-dispatches, the housing
bureau signs and asks for more time, the supervisor approves, the bureau replies, the caller is
dissatisfied at the follow-up so it is redone, replied again and closed — and the supervisor's
dashboard shows exactly that ticket's figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import _open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city, settings) -> str:  # type: ignore[no-untyped-def]
    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import role_grant, user_create
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.organisation.models import Department

    demo_hotline_load(demo_departments())
    street = Department.objects.get(name="朝阳街道办事处")
    officer = user_create(
        username="street-officer", password=settings.YIWANG_DEMO_PASSWORD, kind=AccountKind.STAFF, full_name="钱街道"
    )
    role_grant(actor=None, user=officer, role=Role.HANDLER, department=street)
    return str(live_server.url)


class Desk:
    """One person's browser on the hotline's pages."""

    def __init__(self, browser: Browser, site: str, username: str, password: str, phone: bool = False) -> None:
        viewport = {"width": 375, "height": 740} if phone else {"width": 1280, "height": 900}
        self.page, self.problems = _open_page(browser, viewport)
        self.site = site
        self.page.goto(f"{site}/accounts/login/?next=/workbench/hotline/work/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("工单队列")

    def from_queue(self, queue: str, number: str) -> Page:
        page = self.page
        page.goto(f"{self.site}/workbench/hotline/work/")
        page.locator(f"a[data-queue={queue}]").click()
        page.get_by_role("link", name=number).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(number)
        return page

    def close(self) -> None:
        self.page.wait_for_load_state("networkidle")
        self.page.context.close()
        assert not self.problems, "\n".join(self.problems)


def _status(page: Page) -> str:
    return page.locator("[data-status]").inner_text()


def test_a_ticket_round_the_whole_loop_and_the_dashboard_says_so(browser: Browser, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    from yiwang.hotline.models import Ticket

    password = settings.YIWANG_DEMO_PASSWORD

    # The agent takes the call: keyboard first, Ctrl+Enter.
    agent = Desk(browser, site, "demo-agent", password)
    page = agent.page
    page.goto(f"{site}/workbench/hotline/")
    page.locator("#t-phone").fill("13800138000")
    page.locator("#t-name").fill("王先生")
    page.get_by_label("投诉").check()
    page.locator("#t-category").select_option("CX0101")
    page.locator("#t-region").select_option("990102002")
    page.locator("#t-address").fill("康宁里 5 号旁")
    page.locator("#t-description").fill("康宁里旁边每天夜里十一点以后还在打桩，噪音很大")
    page.locator("#t-description").press("Control+Enter")
    expect(page.locator("[data-status]")).to_have_text("待派单")
    number = Ticket.objects.get().number
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)

    # The dispatcher: the catalogue says the street office (属地).
    dispatcher = Desk(browser, site, "demo-dispatcher", password)
    page = dispatcher.from_queue("dispatch", number)
    expect(page.locator("[data-catalogue-unit]")).to_have_text("朝阳街道办事处")
    page.get_by_role("button", name="派单").click()
    expect(page.locator("[data-status]")).to_have_text("已派单")

    # The street office signs, then returns it: the site is the housing bureau's to supervise.
    street = Desk(browser, site, "street-officer", password, phone=True)
    page = street.from_queue("sign", number)
    page.locator("[data-action=sign]").click()
    expect(page.locator("[data-status]")).to_have_text("办理中")
    page.locator("#u-reason").fill("在建工地施工噪音属住建部门监管，非本街道职责")
    page.locator("[data-action=return]").click()
    expect(page.locator("[data-status]")).to_have_text("申请退单")

    # The dispatcher reviews the return and sends it to the housing bureau, which is now designated.
    page = dispatcher.from_queue("returns", number)
    page.locator("#v-unit").select_option(label="示范市住房和城乡建设局")
    page.locator("#v-note").fill("同意退单，改派住建局")
    page.locator("[data-action=review-return]").click()
    expect(page.locator("[data-status]")).to_have_text("已派单")

    # The housing bureau signs (and may no longer return it) and asks for three more working days.
    housing = Desk(browser, site, "demo-handler", password)
    page = housing.from_queue("sign", number)
    page.locator("[data-action=sign]").click()
    expect(page.locator("[data-action=return]")).to_have_count(0)
    page.locator("#u-days").fill("3")
    page.locator("#u-ext-reason").fill("需约谈施工单位并现场复查")
    page.locator("[data-action=extend]").click()
    expect(page.locator("[data-extension=pending]")).to_have_count(1)

    # The supervisor approves the extension.
    supervisor = Desk(browser, site, "demo-supervisor", password)
    page = supervisor.from_queue("extensions", number)
    page.locator("[data-action=approve-extension]").click()
    expect(page.locator("[data-extension=approved]")).to_have_count(1)

    # The bureau replies.
    page = housing.from_queue("handle", number)
    page.get_by_label("办理情况和结果").fill("已约谈施工单位，责令22时后停止打桩作业")
    page.locator("[data-action=reply]").click()
    expect(page.locator("[data-status]")).to_have_text("已答复")

    # The follow-up: the caller is dissatisfied, the ticket goes back to be redone.
    page = agent.from_queue("follow_up", number)
    page.get_by_label("不满意", exact=True).check()
    page.locator("input[name=solved][value=no]").check()
    page.get_by_label("不满意：退回重新办理").check()
    page.locator("[data-action=follow-up]").click()
    expect(page.locator("[data-status]")).to_have_text("办理中")

    # Redone and replied again; this time the caller is satisfied and the ticket closes.
    page = housing.from_queue("handle", number)
    page.get_by_label("办理情况和结果").fill("复查：施工单位已调整作业时间，夜间无施工")
    page.locator("[data-action=reply]").click()
    expect(page.locator("[data-status]")).to_have_text("已答复")
    page = agent.from_queue("follow_up", number)
    page.get_by_label("满意", exact=True).check()
    page.locator("input[name=solved][value=yes]").check()
    page.locator("[data-action=follow-up]").click()
    expect(page.locator("[data-status]")).to_have_text("已办结")
    history = page.locator("li[data-event]")
    expect(history).to_have_count(Ticket.objects.get().events.count())
    expect(history.last).to_contain_text("已回访并办结")

    # The dashboard: one ticket, dispatched and concluded on time, followed up twice, one of the two
    # ratings satisfied, one extension requested and approved, one return.
    page = supervisor.page
    page.goto(f"{site}/workbench/hotline/dashboard/")
    expected = {
        "accepted": "1",
        "direct_rate": "0.0%",
        "conclusion_rate": "100.0%",
        "on_time_rate": "100.0%",
        "follow_up_rate": "100.0%",
        "satisfaction_rate": "50.0%",
        "extensions": "1 / 1 / 0",
        "returns": "1",
    }
    for key, value in expected.items():
        expect(page.locator(f"[data-kpi={key}]")).to_have_text(value)
    expect(page.locator("[data-kpi-table] tbody tr")).to_have_count(1)
    expect(page.locator("[data-kpi-table] tbody th")).to_have_text("示范市住房和城乡建设局")
    expect(page.locator("svg.chart")).to_have_count(2)

    for desk in (agent, dispatcher, street, housing, supervisor):
        desk.close()
