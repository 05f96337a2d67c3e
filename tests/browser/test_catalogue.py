"""Finding an item and reading its guide in a real browser, on a desktop and a phone (issue 4)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_catalogue) -> str:  # type: ignore[no-untyped-def]
    return str(live_server.url)


def test_a_citizen_searches_and_reads_the_guide(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("searchbox", name="搜索服务事项").fill("身份证到期了怎么换")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="居民身份证换领")).to_be_visible()
    # htmx binds the search box once the document has loaded; text typed before that is a full
    # search away, as without JavaScript — wait for it so that typing is what gets tested.
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")

    # Typing refines the results in place (htmx), and pinyin initials work.
    page.get_by_role("searchbox", name="搜索服务事项").fill("spjyxk")
    expect(results.get_by_role("link", name="食品经营许可（新办）")).to_be_visible()
    assert_fits_the_screen(page)

    results.get_by_role("link", name="食品经营许可（新办）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("食品经营许可（新办）")
    expect(page.get_by_text("承诺办结时限").first).to_be_visible()
    materials = page.locator("#materials")
    expect(materials.get_by_role("row", name=re.compile("营业执照"))).to_contain_text("免提交")
    expect(materials.get_by_role("row", name=re.compile("食品安全管理人员培训合格证明"))).to_contain_text("可容缺后补")
    assert_fits_the_screen(page)

    pdf = page.request.get(site + (page.get_by_role("link", name="打印办事指南（PDF）").get_attribute("href") or ""))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    form = page.request.get(
        site + (materials.get_by_role("link", name="空白表格下载").first.get_attribute("href") or "")
    )
    assert form.body().startswith(b"%PDF")


def test_a_citizen_browses_by_life_event(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="个人办事").first.click()
    page.get_by_role("link", name=re.compile("^户籍办理")).click()
    expect(page.get_by_role("link", name="户口迁入（投靠类）")).to_be_visible()
    assert_fits_the_screen(page)
    page.get_by_role("link", name="户口迁入（投靠类）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("户口迁入（投靠类）")
    expect(page.locator("#materials")).to_contain_text("免提交")


def test_nothing_found_says_what_to_try(page: Page, site: str) -> None:
    page.goto(site + "/search/?q=量子计算机")
    expect(page.get_by_text("没有找到与“量子计算机”相关的结果。")).to_be_visible()
    expect(page.get_by_text("拼音首字母")).to_be_visible()


def test_the_centre_sees_the_catalogue_statistics(page: Page, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/?next=/workbench/")
    page.get_by_label("用户名").fill("demo-centre-admin")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    nav = page.get_by_role("navigation", name="工作台导航")
    nav.get_by_role("link", name="事项目录统计").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("事项目录统计")
    expect(page.get_by_role("img", name="网上可办率")).to_be_visible()
    page.get_by_label("指标", exact=True).select_option("fully_online")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("img", name="全程网办率")).to_be_visible()
    assert_fits_the_screen(page)
