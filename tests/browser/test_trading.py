"""Electronic tendering in a real browser, on a desktop and a phone (issue 19): demo-bidder finds the
demo tender under 交易信息, seals its bid with the key the demo gave it, is refused an unsealed file,
uploads the sealed one and keeps the receipt; at the opening it decrypts its own bid and the public
page shows the prices as they are decrypted (不见面开标)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen, htmx_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city, settings, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    from yiwang.demo.city import demo_departments
    from yiwang.demo.trading import demo_trading_load

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_trading_load(demo_departments())
    return str(live_server.url)


def login(page: Page, site: str, username: str, next_path: str) -> None:
    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_bidder_seals_uploads_and_decrypts_at_a_live_opening(page: Page, site: str, tmp_path: Path) -> None:
    from yiwang.accounts.models import User
    from yiwang.core.crypto import sm2_public_key
    from yiwang.demo.trading import TENDER_TITLE
    from yiwang.trading import services
    from yiwang.trading.envelope import bid_pack, content_key_unwrap, envelope_parse, seal
    from yiwang.trading.models import TradingProject

    project = TradingProject.objects.get(title=TENDER_TITLE)
    page.goto(f"{site}/trading/")
    expect(page.get_by_role("heading", level=1)).to_have_text("交易信息")
    page.get_by_role("link", name=TENDER_TITLE).click()
    expect(page.get_by_test_id("deadline")).to_be_visible()
    assert_fits_the_screen(page)
    page.get_by_role("link", name="递交加密投标文件").click()
    page.get_by_label("用户名").fill("demo-bidder")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("递交加密投标文件")
    expect(page.get_by_test_id("seal-command")).to_contain_text(project.code)
    assert_fits_the_screen(page)

    # Sealed on the bidder's side with the key the demo wrote for it (as yiwang-seal does).
    bidder = User.objects.get(username="demo-bidder")
    private = (Path(settings.VAR_DIR) / "demo-keys" / "demo-bidder.key").read_text().strip()
    sealed = seal(
        plain=bid_pack(price="18800000.00", files={"技术标.txt": "示范技术标".encode()}),
        project=project.code,
        lot=1,
        bidder=str(bidder.credit_code),
        bidder_private_key=private,
        bidder_public_key=sm2_public_key(private),
        opening_public_key=project.opening_key.public_key,
    )
    unsealed = tmp_path / "报价单.pdf"
    unsealed.write_bytes(b"%PDF-1.7 price 18800000")
    page.get_by_label("加密投标文件（.ywseal）").set_input_files(unsealed)
    page.get_by_role("button", name="上传加密投标文件").click()
    expect(page.locator(".message-error")).to_contain_text("这不是加密投标文件")
    refused = [p for p in page.problems if "422" in p]  # type: ignore[attr-defined]  (the refusal's status)
    for problem in refused:
        page.problems.remove(problem)  # type: ignore[attr-defined]
    envelope = tmp_path / "bid.ywseal"
    envelope.write_bytes(sealed)
    page.get_by_label("加密投标文件（.ywseal）").set_input_files(envelope)
    page.get_by_role("button", name="上传加密投标文件").click()
    expect(page.get_by_text("加密投标文件已收到")).to_be_visible()
    expect(page.locator("[data-testid=my-bids] tr[data-bid-status=submitted]")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="回执").click()
    assert project.code in Path(download.value.path()).read_text()
    assert_fits_the_screen(page)

    assert project.bid_deadline is not None
    with time_machine.travel(project.bid_deadline + timedelta(seconds=2), tick=True):
        officer = User.objects.get(username="demo-trading-officer")
        services.projects_close_due()
        services.opening_start(actor=officer, project=project)
        login(page, site, "demo-bidder", f"/trading/{project.code}/bid/")  # three weeks on: log in again
        key = content_key_unwrap(envelope_parse(sealed, max_bytes=len(sealed)), private).hex()
        page.get_by_label("内容密钥（yiwang-seal unwrap 输出）").fill("0" * 32)
        page.get_by_role("button", name="解密").click()
        expect(page.locator(".message-error")).to_contain_text("该密钥无法解密投标文件")
        page.get_by_label("内容密钥（yiwang-seal unwrap 输出）").fill(key)
        page.get_by_role("button", name="解密").click()
        expect(page.locator("[data-testid=my-bids] tr[data-bid-status=opened]")).to_contain_text("18800000.00")
        # The public page follows the opening live: demo-bidder-2 decrypts while it is open.
        page.goto(f"{site}/trading/{project.code}/")
        htmx_ready(page)
        expect(page.get_by_test_id("opening-bids")).to_contain_text("18800000.00")
        expect(page.get_by_test_id("merkle-root")).to_have_text(project.closing.root)
        from yiwang.demo.trading import OFFERS
        from yiwang.trading.models import Bid

        second = User.objects.get(username="demo-bidder-2")
        bid = Bid.objects.get(project=project, bidder=second, status="submitted")
        second_private = (Path(settings.VAR_DIR) / "demo-keys" / "demo-bidder-2.key").read_text().strip()
        with bid.envelope.open("rb") as handle:
            data = handle.read()
        second_key = content_key_unwrap(envelope_parse(data, max_bytes=len(data)), second_private).hex()
        services.bid_decrypt(actor=second, bid=bid, content_key=second_key)
        expect(page.get_by_test_id("opening-bids")).to_contain_text(OFFERS["demo-bidder-2"], timeout=12_000)
        assert_fits_the_screen(page)
