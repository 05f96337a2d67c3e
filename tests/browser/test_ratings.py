"""好差评 in real browsers (issue 9): an applicant rates a concluded case 非常不满意 through the case's
link on a phone; the market regulator's head contacts the rater, remedies by a deadline and reports it;
the centre's return visit closes it and the real-name closure rate reads 100%. A second 差评 is appealed
— first without a reason, refused — then with one, and the supervisor upholds it: the rating is removed
with the reason kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import _open_page, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases(live_server, demo_city, demo_catalogue):  # type: ignore[no-untyped-def]
    from yiwang.accounts.models import User
    from yiwang.accounts.services import company_register
    from yiwang.evaluation.services import case_link_token
    from yiwang.evaluation.tests.conftest import make_case

    company_register(
        company_name="示范餐饮有限公司", credit_code="91350100M000100Y43", phone="13800138002", password="Pw-2026-test!"
    )
    people = {"clerk": User.objects.get(username="demo-clerk"), "approver": User.objects.get(username="demo-approver")}
    first = make_case(people, result_number="JY13599000000011")
    second = make_case(people, result_number="JY13599000000012")
    return str(live_server.url), [(c.number, case_link_token(c)) for c in (first, second)]


def _staff(browser: Browser, site: str, username: str, password: str) -> tuple[Page, list[str]]:
    page, problems = _open_page(browser, {"width": 1280, "height": 900})
    page.goto(f"{site}/accounts/login/?next=/workbench/evaluation/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("差评整改")
    return page, problems


def _rate_badly(browser: Browser, site: str, token: str, comment: str) -> None:
    phone, problems = _open_page(browser, {"width": 375, "height": 740})
    phone.goto(f"{site}/rate/{token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("服务评价")
    assert_fits_the_screen(phone)
    phone.get_by_label("非常不满意").check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_test_id("comment-error")).to_contain_text("请告诉我们哪里做得不好")
    phone.get_by_label("非常不满意").check()
    phone.get_by_label("意见和建议（不满意时必填）").fill(comment)
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_test_id("rated")).to_have_text("您对该办件的评价：非常不满意。")
    phone.context.close()
    unexpected = [p for p in problems if "status of 422" not in p]  # the refused rating, on purpose
    assert not unexpected, "\n".join(unexpected)


def _open_item(page: Page, site: str, comment: str) -> None:
    page.goto(f"{site}/workbench/evaluation/?queue=pending")
    page.get_by_role("row").filter(has_text="非常不满意").first.get_by_role("link").click()
    expect(page.get_by_test_id("rating-comment")).to_have_text(comment)


def test_a_bad_rating_is_remedied_and_another_is_appealed(browser: Browser, cases, settings) -> None:  # type: ignore[no-untyped-def]
    site, ((_first, first_token), (_second, second_token)) = cases
    password = settings.YIWANG_DEMO_PASSWORD
    _rate_badly(browser, site, first_token, "材料清单前后不一致，来回跑了三趟")

    head, head_problems = _staff(browser, site, "demo-dept-head", password)
    _open_item(head, site, "材料清单前后不一致，来回跑了三趟")
    head.get_by_label("联系方式与核实情况").fill("电话联系企业负责人，情况属实")
    head.get_by_label("处理方式").select_option(label="限期整改")
    head.get_by_role("button", name="保存").click()
    expect(head.locator("[data-status]")).to_have_text("已联系核实")
    head.get_by_label("反馈内容").fill("已修订材料清单，向企业致歉")
    head.get_by_role("button", name="保存").click()
    expect(head.locator("[data-status]")).to_have_text("整改中")
    head.get_by_label("整改措施").fill("统一窗口与网上的材料清单，并组织培训")
    head.get_by_role("button", name="保存").click()
    expect(head.locator("[data-status]")).to_have_text("已整改，待回访")
    item_url = head.url

    centre, centre_problems = _staff(browser, site, "demo-centre-admin", password)
    centre.goto(item_url)
    centre.get_by_label("评价人意见").fill("企业表示满意")
    centre.get_by_role("button", name="保存").click()
    expect(centre.locator("[data-status]")).to_have_text("已办结")
    centre.goto(f"{site}/workbench/evaluation/")
    expect(centre.get_by_test_id("closure-rate")).to_have_text("100.0%")

    # The second 差评: appealed without a reason (refused), then with one; the supervisor upholds it.
    _rate_badly(browser, site, second_token, "随便打的差评")
    _open_item(head, site, "随便打的差评")
    head.get_by_role("button", name="提交申诉").click()
    expect(head.get_by_role("status").or_(head.locator(".messages"))).to_contain_text("申诉须写明理由")
    head.get_by_label("申诉理由（为何属误评或恶意评价）").fill("评价人在电话中承认误选，且办件当日即办结")
    head.get_by_role("button", name="提交申诉").click()
    expect(head.locator("[data-status]")).to_have_text("申诉中")

    supervisor, supervisor_problems = _staff(browser, site, "demo-supervisor", password)
    supervisor.goto(f"{site}/workbench/evaluation/?queue=appealed")
    supervisor.get_by_role("row").filter(has_text="非常不满意").first.get_by_role("link").click()
    expect(supervisor.get_by_test_id("appeal-reason")).to_contain_text("承认误选")
    supervisor.get_by_label("申诉成立，撤销评价").check()
    supervisor.get_by_label("复核理由").fill("调取通话录音核实，确属误评")
    supervisor.get_by_role("button", name="提交复核").click()
    expect(supervisor.locator("[data-status]")).to_have_text("申诉成立，评价已撤销")
    expect(supervisor.get_by_text("调取通话录音核实，确属误评").first).to_be_visible()

    for page, problems in ((head, head_problems), (centre, centre_problems), (supervisor, supervisor_problems)):
        page.context.close()
        assert not problems, "\n".join(problems)
