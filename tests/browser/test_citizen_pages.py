"""Every portal page a citizen reaches, on a 375 px phone: none is wider than the screen, and none has an
accessibility violation (axe-core: GB/T 37668-2019, WCAG 2.1 AA) — logged out, then as the demo citizen,
whose own ID number stays masked on 我的证照 until she asks for it (个人信息保护法). Then 长辈模式 (the MIIT's
rules for ageing-friendly websites, 2020): larger text that survives a new page and a new visit."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, _open_page, assert_accessible, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CITIZEN_ID = "110101198001011232"  # the demo citizen's ID number, also her ID card's licence number


@pytest.fixture
def site(live_server, demo_city, settings, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The whole demo but its generated histories: catalogue, e-licences, 12345, trading, disclosure."""
    from yiwang.demo.city import demo_load
    from yiwang.hall.models import QueueCategory

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(history=False)
    QueueCategory.objects.update(opens_at="00:00", closes_at="23:59:59")  # the hall's numbers at any hour
    return str(live_server.url)


def public_paths() -> list[str]:
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.disclosure.models import ProactiveItem
    from yiwang.licences.models import Licence
    from yiwang.trading.models import TradingProject

    guides = ItemImplementation.objects.filter(current__name__in=["老年人优待证办理", "居民身份证换领"]).order_by(
        "code"
    )
    licence = Licence.objects.filter(holder_account__username="demo-citizen").order_by("pk").first()
    item = ProactiveItem.objects.filter(status="published").order_by("-pk").first()
    project = TradingProject.objects.order_by("pk").first()
    assert licence and item and project and guides
    return [
        "/",
        "/search/?q=%E8%AF%81",  # 证
        "/personal/",
        "/business/",
        *[f"/items/{guide.code}/" for guide in guides],
        "/progress/",
        "/licences/verify/",
        f"/licences/verify/?identifier={licence.identifier}",
        "/trading/",
        f"/trading/{project.code}/",
        "/disclosure/",
        "/disclosure/items/",
        f"/disclosure/items/{item.pk}/",
        f"/disclosure/bodies/{item.body_id}/",
        "/disclosure/apply/",
        "/disclosure/follow/",
        "/disclosure/figures/",
        "/12345/",
        "/12345/new/",
        "/12345/answers/",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/register/personal/",
        "/accounts/register/company/",
    ]


def citizen_paths() -> list[str]:
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.licences.models import Licence
    from yiwang.organisation.models import Hall

    senior_card = ItemImplementation.objects.get(current__name="老年人优待证办理")
    hall = Hall.objects.get(name="综合服务大厅")
    licences = Licence.objects.filter(holder_account__username="demo-citizen")
    return [
        "/my/",
        "/my/?cases=done",
        *[f"/licences/mine/{licence.identifier}/" for licence in licences],
        f"/items/{senior_card.code}/",
        "/notifications/",
        "/accounts/profile/",
        "/accounts/agents/",
        "/accounts/history/",
        "/accounts/password/",
        "/accounts/2fa/",
        "/disclosure/apply/",
        "/disclosure/mine/",
        f"/hall/{hall.pk}/book/",
        "/hall/appointments/",
        "/12345/new/",
        "/12345/mine/",
    ]


def walk(page: Page, site: str, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(site + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        assert_accessible(page)
        assert_fits_the_screen(page)


def log_in(page: Page, site: str, username: str, next_path: str) -> None:
    page.goto(f"{site}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{site}{next_path}")


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_every_portal_page_fits_a_phone_and_passes_axe(page: Page, site: str) -> None:
    walk(page, site, public_paths())

    # As the demo citizen: her pages, and 我的证照 with her ID card, whose number is her ID number.
    log_in(page, site, "demo-citizen", "/my/")
    walk(page, site, citizen_paths())
    page.goto(site + "/my/")
    wallet = page.locator("#section-licences")
    expect(wallet).to_contain_text("居民身份证")
    expect(wallet).to_contain_text("110101********1232")
    expect(wallet).not_to_contain_text(CITIZEN_ID)
    expect(wallet).to_contain_text("1.2.156.3005.2.")  # the identifiers wrap rather than widen the page

    # Shown in full on her demand only, and the showing is in the audit trail.
    wallet.locator("li").filter(has_text="居民身份证").get_by_role("link", name="详情、用证记录与分享").click()
    number = page.locator("[data-licence-number]")
    expect(number).to_contain_text("110101********1232")
    wallet_url = page.url
    number.get_by_role("button", name="显示完整号码").click()
    expect(page.locator("[data-licence-number]")).to_have_text(CITIZEN_ID)
    assert_fits_the_screen(page)
    assert_accessible(page)
    from yiwang.accounts.models import User
    from yiwang.audit.models import AuditRecord

    citizen = User.objects.get(username="demo-citizen")
    assert AuditRecord.objects.filter(action="personal_data.reveal", actor_id=citizen.pk).count() == 1
    page.goto(wallet_url)  # the next visit shows it masked again
    expect(page.locator("[data-licence-number]")).to_contain_text("110101********1232")


def font_size(page: Page) -> float:
    """The computed size of the main content's text, in CSS pixels."""
    found = page.evaluate("getComputedStyle(document.querySelector('main')).fontSize")
    return float(str(found).removesuffix("px"))


def test_elder_mode_is_larger_survives_pages_and_visits_and_reads_aloud(browser: Browser, site: str) -> None:
    page, problems = _open_page(browser, PHONE)
    page.goto(site + "/personal/")
    normal = font_size(page)
    toggle = page.get_by_role("button", name="长辈模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("html")).not_to_have_class(re.compile("elder"))

    toggle.click()
    expect(page).to_have_url(site + "/personal/")  # back where the button was pressed
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))  # rendered so, no flash
    expect(page.get_by_role("button", name="长辈模式")).to_have_attribute("aria-pressed", "true")
    larger = font_size(page)
    assert larger >= normal * 1.2, (normal, larger)
    assert_fits_the_screen(page)
    assert_accessible(page)

    # Read aloud where the browser speaks; hidden where it does not.
    read = page.locator("[data-read-aloud]")
    if page.evaluate("'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function'"):
        expect(read).to_be_visible()
        expect(read).to_have_text("朗读")
    else:
        expect(read).to_be_hidden()

    # A new page, then a new visit (the browser closed and opened again with its cookies) keep it.
    page.goto(site + "/progress/")
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))
    assert_fits_the_screen(page)
    cookies = page.context.cookies()
    page.context.close()
    assert not problems, "\n".join(problems)

    again, problems = _open_page(browser, PHONE)
    again.context.add_cookies([c for c in cookies if c["name"] == "yiwang_elder"])
    again.goto(site + "/")
    expect(again.locator("html")).to_have_class(re.compile(r"\belder\b"))
    assert font_size(again) >= normal * 1.2
    assert_fits_the_screen(again)
    # And off again, for everyone else at this computer.
    again.get_by_role("button", name="长辈模式").click()
    expect(again.locator("html")).not_to_have_class(re.compile("elder"))
    again.context.close()
    assert not problems, "\n".join(problems)
