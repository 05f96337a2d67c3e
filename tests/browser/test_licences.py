"""秒批 and the e-licence wallet in a real browser, on a desktop and a phone (issue 7): the demo senior
applies online for 老年人优待证 — her ID card comes from her e-licence and her household from the
police's shared data, so she uploads only a photo — and holds the signed licence the moment she
submits, with nobody's hand on it; she verifies it and shares it with her bank, who sees it authentic."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen, htmx_ready
from tests.files import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ITEM = "老年人优待证办理"


@pytest.fixture
def site(live_server, demo_catalogue) -> str:  # type: ignore[no-untyped-def]
    from yiwang.demo.city import demo_departments
    from yiwang.demo.licences import demo_licences_load

    demo_licences_load(demo_departments())
    return str(live_server.url)


def test_a_senior_gets_her_card_in_seconds_and_shares_it(page: Page, site: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from yiwang.cases.models import Case
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.licences.models import Licence

    photo = tmp_path / "photo.png"
    photo.write_bytes(image_bytes("PNG", (300, 400)))
    implementation = ItemImplementation.objects.get(current__name=ITEM)
    page.goto(f"{site}/accounts/login/?next=/items/{implementation.code}/")
    page.get_by_label("用户名").fill("demo-senior")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM)
    page.get_by_role("link", name="在线申报").click()
    htmx_ready(page)

    # Not asked for what a government system holds: only the photo is to upload.
    id_card = page.locator("tr[data-material]").filter(has_text="申请人居民身份证")
    expect(id_card.locator("[data-exempt]")).to_have_text("免提交")
    expect(id_card).to_contain_text("电子证照 居民身份证")
    household = page.locator("tr[data-material]").filter(has_text="户籍证明")
    expect(household).to_contain_text("共享数据：户籍信息（示范市公安局提供）")
    uploads = page.locator("input[data-upload]")
    expect(uploads).to_have_count(1)
    uploads.first.set_input_files(photo)
    expect(page.locator("tr[data-material] .badge-ok").filter(has_text="已上传")).to_have_count(1)
    for field in page.locator("select[name^=field_]").all():
        field.select_option(index=1)
    for field in page.locator("input[type=text][name^=field_]").all():
        if not field.input_value():
            field.fill("示范市城东区朝阳街道康宁里 3 号")
    page.get_by_role("button", name="检查并提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请核对申报内容")
    page.get_by_role("button", name="确认提交").click()

    # Submitted, and already concluded by the rules: her case page says why.
    expect(page.get_by_text("您的申请已提交，办件编号", exact=False)).to_be_visible()
    page.reload()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "concluded")
    history = page.locator("ol.steps")
    expect(history).to_contain_text("按规则秒批通过")
    expect(history).to_contain_text("年满60周岁")
    case = Case.objects.get(applicant_account__username="demo-senior")
    assert not case.events.exclude(actor=None).exclude(actor=case.applicant_account).exists()  # no staff
    licence = Licence.objects.get(case=case)
    assert_fits_the_screen(page)

    # 我的证照: the signed card, verifiable by anyone with her name masked.
    page.goto(f"{site}/my/")
    wallet = page.locator("li").filter(has_text="老年人优待证")
    expect(wallet.locator("[data-licence-status]")).to_have_text("有效")
    wallet.get_by_role("link", name="核验").click()
    expect(page.locator("[data-verified]")).to_have_attribute("data-verified", "authentic")
    expect(page.locator(".facts")).to_contain_text("王*")
    assert "11010219580312002X" not in page.content()

    # A share link for her bank: the bank sees the whole card, authentic, and the opening is a use.
    page.goto(f"{site}/licences/mine/{licence.identifier}/")
    page.get_by_label("分享对象").fill("示范银行")
    page.get_by_label("用途").fill("敬老卡开户")
    page.get_by_role("button", name="生成分享链接").click()
    link = page.locator("[data-share-link]").inner_text()
    bank = page.context.browser.new_page()  # type: ignore[union-attr]
    bank.goto(link)
    expect(bank.locator("[data-verified]")).to_have_attribute("data-verified", "authentic")
    expect(bank.locator("body")).to_contain_text("王桂兰")
    bank.close()
    page.reload()
    expect(page.locator("tr[data-use]").first).to_contain_text("示范银行")
    assert_fits_the_screen(page)
