"""Identity pages in a real browser: registration errors, lockout, an administrator's two factors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen
from tests.browser.test_portal_and_workbench import log_in_as_administrator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city) -> str:  # type: ignore[no-untyped-def]
    return str(live_server.url)


def test_registration_with_an_invalid_id_number_names_the_problem(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="注册").click()
    page.get_by_role("link", name="个人 使用居民身份证号注册。").click()
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("身份证号").fill("110105194912310021")  # wrong check character
    page.get_by_label("手机号").fill("13812345678")
    page.get_by_label("密码", exact=True).fill("Kx9-long-pass")
    page.get_by_label("确认密码").fill("Kx9-long-pass")
    page.get_by_role("button", name="注册").click()
    field = page.get_by_label("身份证号")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_id_number-error")).to_have_text("身份证号的校验码（最后一位）不正确，请核对号码。")
    expect(page.get_by_label("姓名")).to_have_value("李四")
    assert_fits_the_screen(page)
    page.problems[:] = [p for p in page.problems if "422" not in p]  # type: ignore[attr-defined]

    field.fill("11010519491231002X")
    page.get_by_label("密码", exact=True).fill("Kx9-long-pass")
    page.get_by_label("确认密码").fill("Kx9-long-pass")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("status")).to_contain_text("注册成功。")


def test_repeated_failures_lock_the_account(page: Page, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/")
    for _ in range(5):
        page.get_by_label("用户名").fill("demo-clerk")
        page.get_by_label("密码").fill("not-it")
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")
    page.get_by_label("用户名").fill("demo-clerk")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("登录失败次数过多，请 15 分钟后再试。")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_an_administrator_logs_in_with_two_factors(page: Page, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/accounts/login/?next=/workbench/")
    page.get_by_label("用户名").fill("demo-secadmin")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("您的角色要求双因素登录")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    page.get_by_label("6 位验证码").fill("000000")
    page.get_by_role("button", name="确认").click()
    expect(page.locator("#id_code-error")).to_have_text("验证码错误或已过期，请输入当前显示的 6 位验证码。")
    page.problems[:] = [p for p in page.problems if "422" not in p]  # type: ignore[attr-defined]

    log_in_as_administrator(page, site, "demo-secadmin", settings.YIWANG_DEMO_PASSWORD, "/workbench/")
    expect(page).to_have_url(site + "/workbench/")
    expect(page.get_by_role("heading", level=1)).to_have_text("您好，蒋安全")
