"""The hall in real browsers (issue 9): a citizen scans the display's QR code and takes a number on a
phone-sized screen, the clerk signs on at window A01 and calls it, the hall display shows the call
without reloading, the phone says "go to window A01"; the display survives a network blip and shows
the calls made meanwhile once it is back."""

from __future__ import annotations

from datetime import time

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import _open_page, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city) -> str:  # type: ignore[no-untyped-def]
    from yiwang.hall.models import QueueCategory

    # The demo's numbers are given 08:30–17:30; the suite may run at any hour.
    QueueCategory.objects.update(opens_at=time(0, 0), closes_at=time(23, 59, 59))
    return str(live_server.url)


def _hall_id() -> int:
    from yiwang.organisation.models import Hall

    return Hall.objects.get(name="综合服务大厅").pk


def _take_number(browser: Browser, take_url: str, category: str) -> tuple[Page, list[str]]:
    phone, problems = _open_page(browser, {"width": 375, "height": 740})
    phone.goto(take_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("取号")
    assert_fits_the_screen(phone)
    phone.get_by_label(category).check()
    phone.get_by_role("button", name="取号").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的排队号")
    assert_fits_the_screen(phone)
    return phone, problems


def test_take_by_phone_call_from_the_window_and_the_display_follows(browser: Browser, site: str, settings) -> None:  # type: ignore[no-untyped-def]
    hall = _hall_id()
    display, display_problems = _open_page(browser, {"width": 1280, "height": 900})
    display.goto(f"{site}/hall/{hall}/display/")
    expect(display.get_by_role("heading", name="正在呼叫")).to_be_visible()
    display.evaluate("window.__notReloaded = true")
    take_url = display.get_by_test_id("take-link").get_attribute("href")
    assert take_url and "?k=" in take_url

    # A citizen "scans" the code: the link the QR code carries, on a phone-sized screen.
    phone, phone_problems = _take_number(browser, take_url, "A 社会民生事务")
    expect(phone.get_by_test_id("holder-number")).to_have_text("A001")
    expect(phone.get_by_test_id("holder-ahead")).to_have_text("前面还有 0 人")
    expect(display.locator("[data-waiting=A]")).to_have_text("1", timeout=8_000)

    # The clerk signs on at window A01 and calls the next number.
    clerk, clerk_problems = _open_page(browser, {"width": 1280, "height": 900})
    clerk.goto(f"{site}/accounts/login/?next=/workbench/hall/")
    clerk.get_by_label("用户名").fill("demo-clerk")
    clerk.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    clerk.get_by_role("button", name="登录").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("窗口叫号")
    clerk.get_by_label("窗口").select_option(label="综合服务大厅 · 社会民生类综合窗口 · A01")
    clerk.get_by_role("button", name="上岗").click()
    clerk.get_by_test_id("call-next").click()
    expect(clerk.get_by_test_id("current-number")).to_have_text("A001")

    # The display shows the call within a poll or two, without reloading; the phone tells the holder.
    expect(display.get_by_test_id("latest-number")).to_have_text("A001", timeout=8_000)
    expect(display.locator("[data-window=A01]")).to_have_text("A01 · A001")
    assert display.evaluate("window.__notReloaded") is True
    expect(phone.get_by_test_id("holder-called")).to_have_text("请到 A01 号窗口办理。", timeout=15_000)

    # A network blip: the board's requests fail; the last board stays with a notice.
    board = f"**/hall/{hall}/display/board/"

    def fail(route: Route) -> None:
        route.abort("internetdisconnected")

    display.route(board, fail)
    expect(display.locator("#board-offline")).to_be_visible(timeout=8_000)
    expect(display.get_by_test_id("latest-number")).to_have_text("A001")

    # Meanwhile a second citizen takes a number; the clerk finishes A001 and calls A002.
    second, second_problems = _take_number(browser, take_url, "A 社会民生事务")
    expect(second.get_by_test_id("holder-number")).to_have_text("A002")
    clerk.get_by_role("button", name="办结").click()
    clerk.get_by_test_id("call-next").click()
    expect(clerk.get_by_test_id("current-number")).to_have_text("A002")

    display.unroute(board, fail)
    expect(display.locator("#board-offline")).to_be_hidden(timeout=8_000)
    expect(display.get_by_test_id("latest-number")).to_have_text("A002", timeout=8_000)
    expect(display.locator("[data-call=A001]")).to_contain_text("已完成")
    assert display.evaluate("window.__notReloaded") is True

    # The blip's failed requests (and htmx's report of them) are what we caused; nothing else may fail.
    caused = ("display/board", "htmx:sendError", "htmx:afterRequest", "Failed to load resource")
    unexpected = [p for p in display_problems if not any(mark in p for mark in caused)]
    for page, problems in (
        (display, unexpected),
        (phone, phone_problems),
        (clerk, clerk_problems),
        (second, second_problems),
    ):
        page.context.close()
        assert not problems, "\n".join(problems)
