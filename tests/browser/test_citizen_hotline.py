"""12345 on the web in a real browser on a phone (issue 21): a citizen without an account raises a request
with a photo (the category suggested from the description, the phone proved by an SMS code), the unit
handles it, the citizen reads the reply and says it is not solved, it is redone, the citizen rates it; the
reviewer publishes the reply without the citizen's details, and it is found by search."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, _open_page, assert_fits_the_screen
from tests.browser.test_trading import act_as, forgive, said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CITIZEN_PHONE = "13912345678"


@pytest.fixture
def site(live_server, demo_city, settings, tmp_path) -> str:  # type: ignore[no-untyped-def]
    from yiwang.accounts.models import AccountKind
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import role_grant, user_create
    from yiwang.core.sms import LocmemSmsBackend
    from yiwang.demo.city import demo_departments
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.organisation.models import Department

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YIWANG_SMS_BACKEND = "yiwang.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    demo_hotline_load(demo_departments())
    from yiwang.demo.history.hotline import history_generate
    from yiwang.hotline.learning import model_train

    history_generate(300)  # what the category suggestions learn from
    model_train()
    street = Department.objects.get(name="朝阳街道办事处")
    officer = user_create(
        username="street-officer", password=settings.YIWANG_DEMO_PASSWORD, kind=AccountKind.STAFF, full_name="钱街道"
    )
    role_grant(actor=None, user=officer, role=Role.HANDLER, department=street)
    return str(live_server.url)


@pytest.fixture
def phone(browser: Browser) -> Any:
    page, problems = _open_page(browser, PHONE)
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    page.context.close()
    assert not problems, "\n".join(problems)


def _last_code() -> str:
    from yiwang.core.sms import LocmemSmsBackend

    return re.search(r"(\d{6})", LocmemSmsBackend.outbox[-1].text).group(1)  # type: ignore[union-attr]


def test_a_citizen_raises_follows_redoes_rates_and_the_reply_is_published(phone: Page, site: str) -> None:
    from tests.files import image_bytes
    from yiwang.accounts.models import User
    from yiwang.hotline import services
    from yiwang.hotline.models import PublishedReply, Ticket

    page = phone
    page.goto(f"{site}/")
    assert_fits_the_screen(page)
    page.get_by_role("link", name="12345 网上诉求").click()
    expect(page.locator("h1")).to_have_text("向12345反映诉求")
    page.get_by_label("问题描述").fill("朝阳街道康宁里小区门口的路面塌陷了一个大坑，电动车经过很危险，已经两周了")
    expect(page.get_by_test_id("suggested")).to_contain_text("根据您的描述推荐")  # from the words typed
    assert page.locator("#r-category optgroup").first.get_attribute("label") == "根据您的描述推荐"
    page.locator("#r-category").select_option("SZ0101")
    page.locator("#r-district").select_option("990102")
    expect(page.locator("#r-street option")).not_to_have_count(1)
    page.locator("#r-street").select_option("990102002")
    page.get_by_label("详细地址或标志性地点").fill("康宁里小区东门")
    page.locator("#r-photos").set_input_files(
        files=[{"name": "坑.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}]
    )
    page.get_by_label("同意在隐去我的个人信息后公开本诉求及答复，方便他人查询").check()
    page.get_by_label("如何称呼您（可选）").fill("王芳")
    page.locator("#r-phone").fill(CITIZEN_PHONE)
    page.get_by_role("button", name="提交诉求").click()  # without the code: refused, nothing made
    expect(page.locator("#r-code + .errorlist, #r-code ~ .errorlist")).to_be_visible()
    forgive(page, 422)
    mine = Ticket.objects.filter(caller_phone_digest=services.phone_digest(CITIZEN_PHONE))
    assert not mine.exists()
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_test_id("code-status")).to_contain_text("已发送")
    page.locator("#r-code").fill(_last_code())
    page.locator("#r-photos").set_input_files(
        files=[{"name": "坑.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}]
    )
    page.get_by_role("button", name="提交诉求").click()
    said(page, "已受理")
    ticket = mine.get()
    assert ticket.channel == "web" and ticket.attachments.count() == 1 and ticket.publish_consent
    expect(page.locator("h1")).to_contain_text(ticket.number)
    expect(page.locator(".photo-row img")).to_have_count(1)
    assert_fits_the_screen(page)

    # The city handles it (the staff's side is driven in test_hotline.py).
    dispatcher = User.objects.get(username="demo-dispatcher")
    officer = User.objects.get(username="street-officer")
    street = officer.role_assignments.get().department
    services.ticket_dispatch(actor=dispatcher, ticket=ticket, unit=street)
    services.ticket_sign(actor=officer, ticket=ticket)
    services.ticket_reply(actor=officer, ticket=ticket, answer="已安排人员回填。王芳女士，如有问题请拨打13912345678。")

    # Not solved: redone.
    page.reload()
    expect(page.get_by_test_id("answer")).to_contain_text("已安排人员回填")
    expect(page.get_by_test_id("unit")).to_have_text("朝阳街道办事处")
    page.get_by_label("还有哪些问题（未解决时必填）").fill("只填了一半，坑还在")
    page.get_by_role("button", name="未解决，要求重新办理").click()
    said(page, "重新办理")
    expect(page.get_by_test_id("status")).to_have_text("办理中")
    expect(page.get_by_test_id("steps")).to_contain_text("退回重办")

    services.ticket_reply(actor=officer, ticket=ticket, answer="已重新铺设沥青，路面恢复平整。联系人王芳，康宁里5号。")
    page.reload()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="已解决，提交评价").click()
    said(page, "感谢")
    expect(page.get_by_test_id("status")).to_have_text("已办结")
    assert_fits_the_screen(page)

    # The reviewer publishes it without the citizen's details.
    reply = PublishedReply.objects.get()
    act_as(page, site, "demo-supervisor", "/workbench/hotline/replies/")
    page.get_by_role("link", name=ticket.number).click()
    answer = page.locator("#p-answer")
    assert "王芳" not in answer.input_value() and CITIZEN_PHONE not in answer.input_value()
    answer.fill(answer.input_value() + " 电话 13912345678")  # a slip: refused
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator("#p-answer ~ .errorlist")).to_contain_text("个人信息")
    forgive(page, 422)
    answer.fill("已重新铺设沥青，路面恢复平整。")
    page.locator("#p-title").fill("康宁里小区门口路面塌陷")
    page.get_by_role("button", name="发布", exact=True).click()
    said(page, "审核结果已记录")
    reply.refresh_from_db()
    assert reply.status == "published"

    # Found by search, without the details.
    page.context.clear_cookies()
    page.goto(f"{site}/12345/answers/?q=路面塌陷")
    page.get_by_role("link", name="康宁里小区门口路面塌陷").click()
    body = page.locator("main").inner_text()
    assert "王芳" not in body and CITIZEN_PHONE not in body and "5号" not in body
    expect(page.get_by_test_id("reply")).to_contain_text("路面恢复平整")
    assert_fits_the_screen(page)
