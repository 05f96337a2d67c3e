"""Electronic tendering in a real browser, on a desktop and a phone (issue 19): demo-bidder finds the
demo tender under 交易信息, seals its bid with the key the demo gave it, is refused an unsealed file,
uploads the sealed one and keeps the receipt; at the opening it decrypts its own bid and the public
page shows the prices as they are decrypted (不见面开标). And a whole tender on a desktop, from the
registration to the contract, every step a person takes done on its page, its OCDS release validating."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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


# --- From registration to contract (issue 19's "Done when") --------------------------------------------

NEW_TITLE = "示范市第二中学体育馆新建工程"
CRITERIA = [  # 综合评分法: 100 points, one price factor (computed, never typed)
    {"name": "施工组织设计", "kind": "technical", "max_score": "40"},
    {"name": "项目管理机构", "kind": "technical", "max_score": "15"},
    {"name": "企业业绩与信誉", "kind": "commercial", "max_score": "15"},
    {"name": "投标报价", "kind": "price", "max_score": "30"},
]
FIRM = {
    "demo-bidder": "示范建设工程有限公司",
    "demo-bidder-2": "示范路桥建设有限公司",
    "demo-bidder-3": "示范市政工程有限公司",
}
# Every member gives the same points (施工组织设计, 项目管理机构, 企业业绩与信誉): demo-bidder-2 offers the
# lowest price (30 price points) and ranks first with 36 + 13 + 13 + 30 = 92.00; demo-bidder has
# 34 + 12 + 12 + 30 × 8390000 / 8450000 (29.79) = 87.79.
POINTS = {"demo-bidder": ("34", "12", "12"), "demo-bidder-2": ("36", "13", "13")}


class Clock:
    """The test's jumps in time (time_machine, ticking), undone together at the end."""

    def __init__(self) -> None:
        self.travels: list[time_machine.travel] = []

    def to(self, moment: datetime) -> None:
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        self.travels.append(travel)

    def stop(self) -> None:
        while self.travels:
            self.travels.pop().stop()


def act_as(page: Page, site: str, username: str, next_path: str) -> None:
    """Whoever acts next logs in afresh (a long jump of the clock ends a session anyway)."""
    page.context.clear_cookies()
    login(page, site, username, next_path)
    expect(page).to_have_url(f"{site}{next_path}")


def forgive(page: Page, status: int) -> None:
    """Drops the console error a refusal's status logs (the refusal itself is asserted on the page)."""
    for problem in [p for p in page.problems if str(status) in p]:  # type: ignore[attr-defined]
        page.problems.remove(problem)  # type: ignore[attr-defined]


def said(page: Page, text: str) -> None:
    expect(page.locator("li.message-success")).to_contain_text(text)


def seal_for(project_code: str, opening_key: str, username: str, credit_code: str, price: str, private: str) -> bytes:
    """A bid sealed on the bidder's machine, as ``yiwang-seal seal`` makes it."""
    from yiwang.core.crypto import sm2_public_key
    from yiwang.trading.envelope import bid_pack, seal

    return seal(
        plain=bid_pack(price=price, files={"技术标.txt": f"{username} 技术标 {price}".encode()}),
        project=project_code,
        lot=1,
        bidder=credit_code,
        bidder_private_key=private,
        bidder_public_key=sm2_public_key(private),
        opening_public_key=opening_key,
    )


def upload(page: Page, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    page.get_by_label("加密投标文件（.ywseal）").set_input_files(path)
    page.get_by_role("button", name="上传加密投标文件").click()


@pytest.mark.parametrize("page", ["desktop"], indirect=True)  # a long flow: the phone is covered above
def test_a_tender_from_registration_to_contract(
    page: Page, site: str, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from yiwang.accounts.models import AccountKind, User
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import role_grant, user_create
    from yiwang.core.crypto import sm2_key_pair
    from yiwang.core.sms import LocmemSmsBackend
    from yiwang.organisation.models import Region
    from yiwang.trading import services
    from yiwang.trading.envelope import content_key_unwrap, envelope_parse
    from yiwang.trading.models import Bid, DrawExclusion, TradingProject
    from yiwang.trading.tests.ocds_check import ocds_review

    settings.YIWANG_SMS_BACKEND = "yiwang.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    keys_dir = Path(settings.VAR_DIR) / "demo-keys"
    bidders = {u.username: u for u in User.objects.filter(username__in=FIRM)}
    private = {name: (keys_dir / f"{name}.key").read_text().strip() for name in FIRM}
    officer = User.objects.get(username="demo-trading-officer")
    # The pool (一库) is the centre's to keep, not a page's: the demo's three hundred experts and one more,
    # enrolled now, who works for demo-bidder and must be recused from this tender's committee.
    colleague = user_create(
        username="expert-of-bidder", password=None, kind=AccountKind.NATURAL_PERSON, full_name="卫同事"
    )
    role_grant(actor=None, user=colleague, role=Role.EXPERT)
    recused = services.expert_register(
        actor=officer, user=colleague, region=Region.objects.get(code="990100"), name="卫同事",
        specialties=["building"], employer=FIRM["demo-bidder"],
        employer_credit_code=str(bidders["demo-bidder"].credit_code), phone="13900009999",
    )  # fmt: skip
    clock = Clock()
    try:
        # 1. The trading officer registers the project (进场交易登记) …
        act_as(page, site, "demo-trading-officer", "/workbench/trading/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("登记项目")
        page.get_by_label("标题").fill(NEW_TITLE)
        page.get_by_label("类型").select_option("construction")
        page.get_by_label("交易方式").select_option("open_tender")
        page.get_by_label("评标办法").select_option("scoring")
        page.get_by_label("招标人（部门）").select_option(label="示范市教育局")
        page.get_by_label("预算或估算价（元）").fill("8600000.00")
        page.get_by_label("标段").fill("施工总承包, 8600000.00, 172000.00")
        page.get_by_label("资格条件").fill("具备建筑工程施工总承包三级及以上资质。")
        page.get_by_label("国有资金投资").check()
        page.get_by_role("button", name="登记项目").click()
        said(page, "已登记")
        expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
        project = TradingProject.objects.get(title=NEW_TITLE)
        code = project.code
        expect(page.locator("dl.facts dd").first).to_have_text(code)
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "draft")
        assert_fits_the_screen(page)
        # … sets the scoring criteria, which are published with the documents.
        for n, criterion in enumerate(CRITERIA):
            page.locator(f"#cr-name-{n}").fill(criterion["name"])
            page.locator(f"#cr-kind-{n}").select_option(criterion["kind"])
            page.locator(f"#cr-points-{n}").fill(criterion["max_score"])
        page.get_by_role("button", name="保存评分因素").click()
        said(page, "评分因素已保存。")
        expect(page.get_by_test_id("criteria")).to_contain_text("施工组织设计")
        # 2. … and publishes the notice, naming the custodians of the opening key.
        today = timezone.localdate()
        deadline = (timezone.localtime() + timedelta(days=21)).replace(hour=9, minute=30, second=0, microsecond=0)
        page.get_by_label("标题").fill(f"{NEW_TITLE}施工招标公告")
        page.get_by_label("正文").fill("一、招标条件\n本项目已具备招标条件，现对施工总承包进行公开招标。")
        page.get_by_label("招标文件发售起始日").fill(today.isoformat())
        page.get_by_label("招标文件发售截止日").fill((today + timedelta(days=6)).isoformat())
        page.get_by_label("投标截止时间").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
        for name in ("陈交易", "孔校建", "严监督", "施公证", "柏仲裁"):
            page.get_by_label(name).check()
        page.get_by_label("所需份额数").fill("3")
        page.get_by_role("button", name="发布", exact=True).click()
        said(page, "公告已发布，开始接受投标。")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "bidding")
        project.refresh_from_db()
        assert project.bid_deadline == deadline
        assert project.opening_key.threshold == 3 and project.opening_key.shares.count() == 5
        page.goto(f"{site}/trading/{code}/")
        expect(page.get_by_test_id("deadline")).to_have_text(f"{deadline:%Y-%m-%d %H:%M:%S}")

        # 3. Ten days before the deadline a clarification that may affect the bids moves it (TBL-R §21).
        clock.to(deadline - timedelta(days=10))
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")
        page.get_by_label("类型").select_option("clarification")
        page.get_by_label("标题").fill("澄清（一）：体育馆屋面钢结构")
        page.get_by_label("正文").fill("屋面钢结构由 Q235 改为 Q355，工程量清单第 12 项相应调整。")
        page.get_by_label("可能影响投标文件编制（距截止不足 15 日的，截止时间顺延）").check()
        page.get_by_role("button", name="发布此版本").click()
        said(page, "招标文件新版本已发布。")
        project.refresh_from_db()
        moved = timezone.localtime(project.bid_deadline)
        assert moved > deadline + timedelta(days=4)  # 15 days after the clarification
        page.goto(f"{site}/trading/{code}/")
        expect(page.get_by_test_id("deadline")).to_have_text(f"{moved:%Y-%m-%d %H:%M:%S}")
        expect(page.get_by_test_id("deadline-moved")).to_have_text(
            f"投标截止时间由 {deadline:%Y-%m-%d %H:%M} 顺延至 {moved:%Y-%m-%d %H:%M}。"
        )
        expect(page.locator("article.document")).to_have_count(2)

        # 4. Three bidders seal on their own machines (with the opening key from the page) and upload;
        # demo-bidder-2 uploads again, which replaces its first bid.
        act_as(page, site, "demo-bidder", f"/trading/{code}/")
        with page.expect_download() as download:
            page.get_by_role("link", name="下载开标公钥").first.click()
        opening_key = Path(download.value.path()).read_text().strip()
        assert opening_key == project.opening_key.public_key
        prices = {"demo-bidder": "8450000.00", "demo-bidder-2": "8390000.00", "demo-bidder-3": "8480000.00"}
        envelopes: dict[str, bytes] = {}
        for name, price in prices.items():
            if name != "demo-bidder":
                act_as(page, site, name, f"/trading/{code}/bid/")
            else:
                page.goto(f"{site}/trading/{code}/bid/")
            credit = str(bidders[name].credit_code)
            if name == "demo-bidder-2":  # a first offer, then a better one
                first = seal_for(code, opening_key, name, credit, "8520000.00", private[name])
                upload(page, tmp_path / f"{name}-1.ywseal", first)
                expect(page.get_by_text("加密投标文件已收到")).to_be_visible()
            envelopes[name] = seal_for(code, opening_key, name, credit, price, private[name])
            upload(page, tmp_path / f"{name}.ywseal", envelopes[name])
            expect(page.get_by_text("加密投标文件已收到")).to_be_visible()
            expect(page.locator("[data-testid=my-bids] tr[data-bid-status=submitted]")).to_have_count(1)
        act_as(page, site, "demo-bidder-2", f"/trading/{code}/bid/")
        expect(page.locator("[data-testid=my-bids] tr[data-bid-status=replaced]")).to_have_count(1)
        expect(page.locator("[data-testid=my-bids] tr[data-bid-status=submitted]")).to_have_count(1)
        assert_fits_the_screen(page)

        # 5. A fourth company registers its key on its page, seals, and comes a few seconds late: refused.
        assert project.bid_deadline is not None
        clock.to(project.bid_deadline + timedelta(seconds=3))
        late_private, late_public = sm2_key_pair()
        act_as(page, site, "demo-company", "/trading/keys/")
        page.get_by_label("用途").select_option("bidder")
        page.get_by_label("SM2 公钥").fill(late_public)
        page.get_by_role("button", name="登记密钥").click()
        said(page, "密钥已登记")
        page.goto(f"{site}/trading/{code}/bid/")
        company = User.objects.get(username="demo-company")
        late = seal_for(code, opening_key, "demo-company", str(company.credit_code), "8300000.00", late_private)
        upload(page, tmp_path / "late.ywseal", late)
        expect(page.locator(".message-error")).to_have_text(
            f"投标截止时间（{moved:%Y-%m-%d %H:%M:%S}）已过，不再接收投标文件（招标投标法第二十八条）。"
        )
        forgive(page, 409)
        expect(page.get_by_test_id("my-bids")).to_contain_text("您尚未")  # nothing stored for it
        assert not Bid.objects.filter(project=project, bidder=company).exists()

        # 6. The officer closes the bids and starts the opening.
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")
        page.get_by_role("button", name="截标").click()
        said(page, "已截标，Merkle 根已签名并公布。")
        page.get_by_role("button", name="开始开标").click()
        said(page, "开标已开始。")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "opening")

        # 7. demo-bidder and demo-bidder-2 decrypt their bids on their page; demo-bidder-3 never does.
        for name in ("demo-bidder", "demo-bidder-2"):
            act_as(page, site, name, f"/trading/{code}/bid/")
            key = content_key_unwrap(envelope_parse(envelopes[name], max_bytes=len(envelopes[name])), private[name])
            page.get_by_label("内容密钥（yiwang-seal unwrap 输出）").fill(key.hex())
            page.get_by_role("button", name="解密").click()
            said(page, "投标文件已解密。")
            opened = page.locator("[data-testid=my-bids] tr[data-bid-status=opened]")
            expect(opened).to_contain_text(prices[name])
        page.goto(f"{site}/trading/{code}/")
        htmx_ready(page)
        expect(page.get_by_test_id("opening-bids").locator("tr[data-bid-status=opened]")).to_have_count(2)
        expect(page.get_by_test_id("closing-bids")).to_have_text("3")
        # The window is still open for demo-bidder-3: the officer may not conclude yet.
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")
        page.get_by_role("button", name="结束开标").click()
        expect(page.locator(".message-error")).to_have_text("解密时间未到，投标人仍在解密。")
        forgive(page, 409)
        opening = project.opening
        clock.to(opening.window_ends + timedelta(seconds=2))
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")  # idle past 30 minutes
        page.get_by_role("button", name="结束开标").click()
        said(page, "开标记录已签名并公布。")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "opened")
        failed = page.locator("tr[data-bid-status=failed_bidder]")
        expect(failed).to_have_count(1)
        expect(failed).to_contain_text(FIRM["demo-bidder-3"])
        expect(failed).to_contain_text("投标人未解密（视为撤回）")

        # 8. The draw: recusal first (demo-bidder's employee among others), five experts at random.
        page.get_by_label("专业").select_option("building")
        page.get_by_label("专家人数").fill("5")
        page.get_by_label("招标人代表人数").fill("0")
        page.get_by_role("button", name="随机抽取").click()
        said(page, "专家已抽取")
        draw = page.locator("article.draw")
        expect(draw).to_have_attribute("data-verified", "yes")
        expect(draw.locator("li[data-pick-status=notified]")).to_have_count(5)
        expect(draw.locator("li").first).to_contain_text("第 1 位专家（评标开始前名单保密）")
        exclusion = DrawExclusion.objects.get(expert=recused)
        assert exclusion.reason == "bidder_employee" and exclusion.detail == FIRM["demo-bidder"]
        employees = DrawExclusion.objects.filter(draw=exclusion.draw, reason="bidder_employee").count()
        expect(draw).to_contain_text("回避：")
        expect(draw).to_contain_text(f"在投标人单位任职 {employees}")
        assert_fits_the_screen(page)

        # 9. The experts are told by SMS; each answers by its link.
        links = [m.text for m in LocmemSmsBackend.outbox if code in m.text]
        tokens = [re.search(r"/trading/experts/([\w-]+)/", text).group(1) for text in links]  # type: ignore[union-attr]
        assert len(tokens) == 5
        members: list[Any] = []
        for token in tokens:
            page.context.clear_cookies()  # the link itself is the credential
            page.goto(f"{site}/trading/experts/{token}/")
            expect(page.get_by_test_id("pick-status")).to_contain_text("已通知")
            page.get_by_role("button", name="确认参加").click()
            said(page, "谢谢，您的答复已记录。")
            expect(page.get_by_test_id("pick-status")).to_contain_text("已确认")
            expect(page.get_by_test_id("evaluation-link")).to_be_visible()
            members.append(services.pick_of_token(token).expert)
        assert recused not in members
        # Each member logs in with their own expert account (the demo's pool has no passwords: set here).
        for expert in members:
            expert.user.set_password(settings.YIWANG_DEMO_PASSWORD)
            expert.user.save(update_fields=["password"])

        # 10. The officer starts the evaluation; the committee's names are released on the page.
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")
        page.get_by_role("button", name="开始评标").click()
        said(page, "评标已开始，评标委员会名单已解封。")
        for expert in members:
            expect(page.locator("article.draw")).to_contain_text(expert.name)

        # 11. Each member scores each opened bid on their own page (the price points are computed).
        for expert in members:
            act_as(page, site, expert.user.username, f"/trading/{code}/evaluation/")
            expect(page.get_by_role("heading", level=1)).to_have_text("评标")
            expect(page.get_by_test_id("price-computed")).to_contain_text("投标报价")
            expect(page.get_by_test_id("bids-to-score").locator("tbody tr")).to_have_count(2)
            expect(page.get_by_test_id("bids-to-score")).not_to_contain_text(FIRM["demo-bidder-3"])
            for name, points in POINTS.items():
                form = page.get_by_test_id("score-form").filter(has_text=FIRM[name])
                for criterion, value in zip(CRITERIA, points, strict=False):
                    form.get_by_label(f"{criterion['name']}（0 至 {criterion['max_score']}.00 分）").fill(value)
                form.get_by_role("button", name="保存对该投标文件的评分").click()
                said(page, "对该投标文件的评分已保存")
            expect(page.locator("tr[data-scored=yes]")).to_have_count(2)

        # 12. The officer makes the report; every member signs it; the candidates are published.
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")
        page.get_by_role("button", name="形成评标报告").click()
        said(page, "评标报告已形成，请各评委签署。")
        for expert in members:
            act_as(page, site, expert.user.username, f"/trading/{code}/evaluation/")
            expect(page.get_by_test_id("report")).to_contain_text(code)
            page.get_by_role("button", name="签署评标报告").click()
            said(page, "您已签署评标报告。")
            expect(page.get_by_test_id("signed")).to_be_visible()
        act_as(page, site, "demo-trading-officer", f"/workbench/trading/{code}/")
        page.get_by_role("button", name="公示中标候选人").click()
        said(page, "中标候选人已公示")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "publicity")
        page.goto(f"{site}/trading/{code}/")
        rows = page.get_by_test_id("candidates").locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text(FIRM["demo-bidder-2"])
        expect(rows.nth(0)).to_contain_text("92.00")
        expect(rows.nth(1)).to_contain_text(FIRM["demo-bidder"])
        expect(rows.nth(1)).to_contain_text("87.79")

        # 13. The losing bidder objects to the candidates; the tenderer answers on the same page.
        act_as(page, site, "demo-bidder", f"/trading/{code}/")
        objection = "第一中标候选人项目经理的注册建造师证书已过有效期，请予核查。"
        page.get_by_label("您对评标结果的异议（在公示期内提出；答复前不得确定中标人）").fill(objection)
        page.get_by_role("button", name="提出异议").click()
        # Received (its wording, "招标投标活动暂停", is the documents objection's: the tender does not pause now).
        expect(page.locator("li.message-success")).to_contain_text("异议已收到")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "publicity")
        expect(page.locator("article.objection[data-answered=no]")).to_contain_text(objection)
        act_as(page, site, "demo-tenderer", f"/trading/{code}/")
        expect(page.get_by_test_id("award")).to_have_count(0)  # the publicity runs: no award yet
        reply = "经向发证机关核实，该证书在有效期内，异议不成立。"
        page.get_by_label("答复内容").fill(reply)
        page.get_by_role("button", name="发布答复").click()
        said(page, "答复已发布。")
        expect(page.locator("article.objection[data-answered=yes]")).to_contain_text(reply)

        # 14. After the publicity the tenderer awards the first candidate and records the contract.
        project.refresh_from_db()
        assert project.publicity_until is not None
        clock.to(project.publicity_until + timedelta(minutes=1))
        act_as(page, site, "demo-tenderer", f"/trading/{code}/")
        winner = page.get_by_test_id("candidates").locator("tbody tr").filter(has_text=FIRM["demo-bidder-2"])
        winner.get_by_role("button", name="确定为中标人").click()
        said(page, "已确定中标人。")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "awarded")
        expect(page.get_by_test_id("award-notice")).to_be_visible()
        signed_on = timezone.localdate()
        page.get_by_label("合同金额（元）").fill("8390000.00")
        page.get_by_label("合同签订日期").fill(signed_on.isoformat())
        page.get_by_role("button", name="登记合同").click()
        said(page, "合同已登记。")
        expect(page.locator("dd[data-status]")).to_have_attribute("data-status", "contracted")
        # Anyone sees the contract on the public page.
        page.context.clear_cookies()
        page.goto(f"{site}/trading/{code}/")
        expect(page.get_by_test_id("contract")).to_have_text(
            f"标段 1：合同金额 8390000.00 元，签订日期 {signed_on:%Y-%m-%d}。"
        )
        assert_fits_the_screen(page)

        # 15. Published as OCDS 1.1.5: the release and record packages validate (lib-cove-ocds, offline).
        packages = {}
        for kind in ("releases", "records"):
            answer = page.request.get(f"{site}/api/v1/trading/ocds/{kind}/{code}")
            assert answer.ok, answer.text()
            packages[kind] = answer.json()
            review = ocds_review(packages[kind], monkeypatch)
            assert review["validation_errors"] == [], review["validation_errors"]
            assert not review["additional_fields"], review["additional_fields"]
        tags = [release["tag"] for release in packages["releases"]["releases"]]
        assert tags == [["tender"], ["tenderAmendment"], ["tenderUpdate"], ["award"], ["contract"]]
        compiled = packages["records"]["records"][0]["compiledRelease"]
        assert compiled["ocid"].endswith(code)
        assert compiled["tender"]["numberOfTenderers"] == 3
        assert compiled["tender"]["tenderPeriod"]["endDate"] == project.bid_deadline.isoformat()
        assert compiled["awards"][0]["suppliers"][0]["name"] == FIRM["demo-bidder-2"]
        assert compiled["contracts"][0]["value"]["amount"] == 8390000.0
    finally:
        clock.stop()
