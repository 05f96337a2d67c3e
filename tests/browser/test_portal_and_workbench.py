"""The pages that matter, in a real browser: portal home, search, login, workbench, logout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city) -> str:  # type: ignore[no-untyped-def]
    return str(live_server.url)


def log_in_as_administrator(page: Page, site: str, username: str, password: str, next_path: str) -> None:
    """Password, then the one-time code an authenticator app would show (enrolling on first login)."""
    from conftest import totp_code
    from yiwang.accounts.models import User

    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/2fa/$"))
    page.get_by_label("6 位验证码").fill(totp_code(User.objects.get(username=username), offset=1))
    page.get_by_role("button", name="确认").click()


def test_portal_home_is_chinese_and_searchable(page: Page, site: str) -> None:
    page.goto(site + "/")
    expect(page).to_have_title("政务服务网")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("link", name="个人办事").first).to_be_visible()
    expect(page.get_by_role("link", name="法人办事").first).to_be_visible()
    assert_fits_the_screen(page)

    page.get_by_role("searchbox", name="搜索服务事项").fill("公安")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_text("示范市公安局")).to_be_visible()


def test_language_can_be_switched_to_english_and_back(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handle your affairs online, in one place")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("一网通办，办事不求人")


def test_a_clerk_logs_in_to_the_workbench_and_out_again(page: Page, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/")
    page.get_by_role("link", name="登录", exact=True).click()  # not 办件进度查询 …无需登录
    page.get_by_label("用户名").fill("demo-clerk")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(site + "/workbench/")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，李窗口")
    expect(page.get_by_text("综合受理员 · 示范市政务服务数据管理局")).to_be_visible()
    expect(page.get_by_text("暂无待办事项。")).to_be_visible()
    nav = page.get_by_role("navigation", name="工作台导航")
    expect(nav.get_by_role("link", name="我的待办")).to_be_visible()
    expect(nav.get_by_role("link", name="从 Excel 导入")).to_have_count(0)
    # htmx, served from the installed package, runs deferred: wait for it rather than race the parser.
    page.wait_for_function("() => typeof window.htmx === 'object'")
    assert_fits_the_screen(page)

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(site + "/")
    page.goto(site + "/workbench/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/workbench/"))


def test_a_wrong_password_is_explained(page: Page, site: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("用户名").fill("demo-clerk")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")


def test_the_system_administrator_sees_administration(page: Page, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    log_in_as_administrator(page, site, "demo-sysadmin", settings.YIWANG_DEMO_PASSWORD, "/workbench/")
    expect(page.locator(".qr svg")).to_have_count(0)
    nav = page.get_by_role("navigation", name="工作台导航")
    nav.get_by_role("link", name="从 Excel 导入").click()
    expect(page.get_by_role("link", name="下载空白模板")).to_be_visible()


def test_a_citizen_is_refused_the_workbench_in_chinese(page: Page, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/?next=/workbench/")
    page.get_by_label("用户名").fill("demo-citizen")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    with page.expect_response(site + "/workbench/") as info:
        page.get_by_role("button", name="登录").click()
    assert info.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("您无权访问此页面")
    page.problems[:] = [p for p in page.problems if "403" not in p]  # type: ignore[attr-defined]


def test_api_docs_load_without_internet(page: Page, site: str) -> None:
    page.goto(site + "/api/v1/docs")
    # Swagger UI builds the page from the whole OpenAPI document in the browser: seconds on a busy machine.
    expect(page.get_by_text("Yiwang 一网 API").first).to_be_visible(timeout=30_000)


def test_the_system_administrator_imports_a_workbook(page: Page, site: str, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from yiwang.organisation.tests.test_importer import GOOD_DEPARTMENTS, GOOD_REGIONS, workbook

    upload = tmp_path / "示范导入.xlsx"
    upload.write_bytes(workbook(GOOD_REGIONS, GOOD_DEPARTMENTS))
    log_in_as_administrator(
        page, site, "demo-sysadmin", settings.YIWANG_DEMO_PASSWORD, "/admin/organisation/region/import/"
    )
    page.get_by_label("Excel 工作簿（.xlsx）").set_input_files(str(upload))
    page.get_by_role("button", name="校验并导入").click()

    expect(page).to_have_url(re.compile(r"/workbench/jobs/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("从 Excel 导入行政区划和部门")
    expect(page.get_by_text("已完成。")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("新增行政区划3")
    page.goto(site + "/admin/organisation/region/?q=880102")
    expect(page.get_by_role("link", name="880102", exact=True)).to_be_visible()
