"""竞争性谈判 in a real browser, on a desktop and a phone (issue 19): the panel has negotiated with three
demo suppliers and the centre has called for final quotes; demo-bidder reads its own minutes and what the
round changed, downloads the round's key, is refused a file that is not a sealed quote, uploads the one it
sealed, and after the round's deadline opens it with its content key — no rival's first price shown to it
at any point (政府采购法 §38(4))."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen
from tests.browser.test_trading import Clock, act_as, forgive, said, seal_for, site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = {"demo-bidder": "1200000.00", "demo-bidder-2": "1180000.00", "demo-bidder-3": "1250000.00"}


def _negotiating(clock: Clock) -> Any:
    """A negotiation of the demo centre taken, through the services, to its first round of final quotes."""
    from yiwang.accounts.models import RoleAssignment, User
    from yiwang.accounts.roles import Role
    from yiwang.demo.city import demo_departments
    from yiwang.demo.trading import CUSTODIANS
    from yiwang.organisation.models import Region
    from yiwang.trading import rules, services
    from yiwang.trading.envelope import content_key_unwrap, envelope_parse
    from yiwang.trading.models import Expert

    officer = User.objects.get(username="demo-trading-officer")
    users = {u.username: u for u in User.objects.filter(username__in=[*FIRST, *CUSTODIANS])}
    # The demo's trading supervisor watches construction (住建局); procurement is the finance bureau's, so
    # it is made a supervisor there too, to keep its share of this project's opening key.
    city = Region.objects.get(code="990100")
    RoleAssignment.objects.create(
        user=users["demo-trading-supervisor"], role=Role.SUPERVISOR, department=demo_departments()["finance"],
        region=city,
    )  # fmt: skip
    keys = {name: (Path(settings.VAR_DIR) / "demo-keys" / f"{name}.key").read_text().strip() for name in FIRST}
    project = services.project_register(
        actor=officer, region=city, kind="procurement", method="negotiation",
        evaluation_method="lowest_price", title="示范市政务云服务竞争性谈判采购", budget="1300000.00",
        lots=[services.LotIn("政务云服务", "1300000.00", "0")], tenderer_department=demo_departments()["education"],
    )  # fmt: skip
    services.invitations_make(actor=officer, project=project, companies=[users[name] for name in FIRST])
    deadline_day = rules.working_day_due(timezone.localdate(), 3)
    deadline = timezone.make_aware(datetime.combine(deadline_day, time(9, 30)))
    services.notice_publish(
        actor=officer, project=project, title="竞争性谈判公告", body="一、采购需求\n政务云服务一年。",
        documents_from=timezone.localdate(), documents_until=deadline_day, bid_deadline=deadline,
        custodians=[users[name] for name in CUSTODIANS], threshold=3,
    )  # fmt: skip
    project.refresh_from_db()
    sealed = {
        name: seal_for(
            project.code, project.opening_key.public_key, name, str(users[name].credit_code), price, keys[name]
        )
        for name, price in FIRST.items()
    }
    bids = {
        name: services.bid_submit(actor=users[name], project=project, lot_number=1, data=data).bid
        for name, data in sealed.items()
    }
    clock.to(deadline + timedelta(seconds=1))
    services.projects_close_due()
    opening = services.opening_start(actor=officer, project=project)
    assert opening is not None
    for name, data in sealed.items():
        key = content_key_unwrap(envelope_parse(data, max_bytes=len(data)), keys[name]).hex()
        services.bid_decrypt(actor=users[name], bid=bids[name], content_key=key)
    clock.to(opening.window_ends + timedelta(seconds=1))
    services.opening_conclude(actor=officer, project=project)
    counts = Counter(s for specialties in Expert.objects.values_list("specialties", flat=True) for s in specialties)
    specialty = counts.most_common(1)[0][0]
    _draw, tokens = services.draw_make(actor=officer, project=project, specialty=specialty, count=3)
    for token in tokens:
        services.pick_respond(token=token, accept=True)
    services.evaluation_start(actor=officer, project=project)
    services.negotiation_record(actor=officer, bid=bids["demo-bidder"], minutes="驻场人员增至4人，贵公司同意。")
    services.negotiation_record(actor=officer, bid=bids["demo-bidder-2"], minutes="售后响应时间2小时。")
    quote_round = services.quote_round_call(
        actor=officer, project=project, deadline=timezone.now() + timedelta(minutes=12), note="驻场人数改为4人。"
    )
    return project, quote_round, keys["demo-bidder"], users["demo-bidder"]


def test_a_supplier_seals_and_opens_its_final_quote(page: Page, site: str, tmp_path: Path) -> None:  # noqa: F811
    from yiwang.core.crypto import sm2_public_key
    from yiwang.trading.envelope import bid_pack, content_key_unwrap, envelope_parse, seal

    clock = Clock()
    try:
        project, quote_round, private, supplier = _negotiating(clock)
        path = f"/trading/{project.code}/"
        act_as(page, site, "demo-bidder", path)
        section = page.get_by_role("region", name="您的最后报价")
        expect(section).to_contain_text("驻场人员增至4人")  # its own minutes …
        expect(page.locator("body")).not_to_contain_text("售后响应时间2小时")  # … not another's
        expect(section).to_contain_text("驻场人数改为4人。")
        for rival in ("1180000.00", "1250000.00"):  # no rival's first price anywhere on the page
            expect(page.locator("body")).not_to_contain_text(rival)
        with page.expect_download() as download:
            page.get_by_test_id("round-key").click()
        assert Path(download.value.path()).read_text().strip() == quote_round.public_key
        assert_fits_the_screen(page)

        junk = tmp_path / "quote.pdf"
        junk.write_bytes(b"%PDF-1.7 1100000")
        page.get_by_label("加密报价文件").set_input_files(junk)
        page.get_by_role("button", name="提交加密报价").click()
        expect(page.locator(".message-error")).to_be_visible()
        forgive(page, 422)
        quote = seal(
            plain=bid_pack(price="1100000.00", files={}),
            project=project.code,
            lot=1,
            bidder=str(supplier.credit_code),
            bidder_private_key=private,
            bidder_public_key=sm2_public_key(private),
            opening_public_key=quote_round.public_key,
        )
        sealed = tmp_path / "quote.ywseal"
        sealed.write_bytes(quote)
        page.get_by_label("加密报价文件").set_input_files(sealed)
        page.get_by_role("button", name="提交加密报价").click()
        said(page, "已收到您的加密最后报价")
        expect(page.locator("[data-quote-status=submitted]")).to_be_visible()
        assert_fits_the_screen(page)

        clock.to(quote_round.deadline + timedelta(seconds=2))
        act_as(page, site, "demo-bidder", path)
        page.get_by_label("内容密钥（yiwang-seal unwrap）").fill("0" * 32)
        page.get_by_role("button", name="解密我的报价").click()
        expect(page.locator(".message-error")).to_contain_text("该密钥无法解密报价")
        forgive(page, 422)
        key = content_key_unwrap(envelope_parse(quote, max_bytes=len(quote)), private).hex()
        page.get_by_label("内容密钥（yiwang-seal unwrap）").fill(key)
        page.get_by_role("button", name="解密我的报价").click()
        said(page, "您的最后报价已解密")
        expect(page.locator("[data-quote-status=opened]")).to_contain_text("1100000.00")
        assert_fits_the_screen(page)
    finally:
        clock.stop()
