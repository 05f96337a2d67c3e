"""The online hall in a real browser, on a desktop and a phone (issue 6): apply from the guide with the draft
saving itself and materials uploading one by one, a correction requested and answered online, acceptance,
the electronic result downloaded; then the progress looked up without logging in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_fits_the_screen, htmx_ready
from tests.files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Yiwang-test-2026!"
ITEM = "居民身份证换领"


@pytest.fixture
def site(live_server, demo_catalogue) -> str:  # type: ignore[no-untyped-def]
    return str(live_server.url)


@pytest.fixture
def citizen(demo_catalogue):  # type: ignore[no-untyped-def]
    from yiwang.accounts.services import citizen_register

    return citizen_register(full_name="张三", id_number="11010519491231002X", phone="13800138001", password=PASSWORD)


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes("scanned at home", padding=200_000))
    return path


def _status(page: Page) -> str:
    return page.locator("[data-status]").first.get_attribute("data-status") or ""


def test_a_citizen_applies_online_corrects_and_downloads_the_result(  # type: ignore[no-untyped-def]
    page: Page, site: str, citizen, scan: Path, tmp_path: Path, make_user, city
) -> None:
    from yiwang.cases import services as cases
    from yiwang.cases.models import Case
    from yiwang.catalogue.models import ItemImplementation

    implementation = ItemImplementation.objects.get(current__name=ITEM)
    page.goto(f"{site}/accounts/login/?next=/items/{implementation.code}/")
    page.get_by_label("用户名").fill("13800138001")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM)
    page.get_by_role("link", name="在线申报").click()

    # The draft: the applicant is the account (shown, not typed), the rest saved as it is typed, materials
    # uploaded one by one.
    expect(page.get_by_role("heading", level=1)).to_have_text(ITEM)
    expect(page.locator("dl.facts")).to_contain_text("张三")
    expect(page.locator("dl.facts")).not_to_contain_text("11010519491231002X")  # masked
    expect(page.get_by_text("申请人姓名和证件号码取自账户")).to_be_visible()
    htmx_ready(page)  # the draft saves as it is typed, through htmx
    page.get_by_label("换领原因 *").select_option("有效期满")
    expect(page.locator("#saved")).to_contain_text("已于")
    page.get_by_label("领取方式 *").select_option("邮寄送达")
    wrong = tmp_path / "photo.gif"
    wrong.write_bytes(b"GIF89a")
    uploads = page.locator("input[data-upload]")
    uploads.first.set_input_files(wrong)  # refused in the browser before anything is sent
    expect(page.locator(".upload-note").first).to_contain_text("只接受 PDF、JPG、PNG 或 OFD 文件")
    for index in range(uploads.count()):
        row = page.locator("tr[data-material]").filter(has=page.locator("input[data-upload]")).nth(index)
        row.locator("input[data-upload]").set_input_files(scan)
        expect(row.locator(".badge-ok")).to_contain_text("已上传")
    assert_fits_the_screen(page)
    page.reload()  # nothing typed is lost
    expect(page.get_by_label("领取方式 *")).to_have_value("邮寄送达")
    page.get_by_role("button", name="检查并提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请核对申报内容")
    expect(page.get_by_text("邮寄送达")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text(re.compile("您的申请已提交，办件编号"))).to_be_visible()
    assert _status(page) == "submitted"
    number = page.get_by_role("heading", level=1).locator("small").inner_text()

    # The department asks for a correction; the applicant sees exactly what to fix and fixes it online.
    clerk = make_user(_role("clerk"), region=city)
    case = Case.objects.get(number=number)
    material = case.materials.get(requirement__name="原居民身份证")
    cases.case_request_correction(
        actor=clerk, case=case, items=[cases.CorrectionItem(material.requirement_id, "照片页不清晰，请重新扫描")]
    )
    page.goto(f"{site}/my/")
    expect(page.get_by_role("region", name="待您处理")).to_contain_text("请按通知补正所列材料后重新提交")
    page.get_by_role("link", name=ITEM).first.click()
    expect(page.get_by_text("照片页不清晰，请重新扫描")).to_be_visible()
    page.get_by_label("原居民身份证").set_input_files(scan)
    page.get_by_role("button", name="提交材料").click()
    expect(page.get_by_text("材料已提交。")).to_be_visible()
    assert _status(page) == "submitted"
    history = page.locator("ol.steps")
    expect(history).to_contain_text("发出补正材料通知")
    expect(history).to_contain_text("收到补正材料")

    # Accepted: the deadline and the remaining working days appear; the applicant picks the electronic result.
    cases.case_accept(actor=clerk, case=Case.objects.get(number=number))
    page.reload()
    assert _status(page) == "in_review"
    expect(page.get_by_text(re.compile(r"剩余 \d+ 个工作日"))).to_be_visible()
    page.get_by_label("电子送达").check()
    page.get_by_role("button", name="保存选择").click()
    expect(page.get_by_text("已保存您的选择。")).to_be_visible()

    approver = make_user(_role("approver"), department=case.department)
    case = Case.objects.get(number=number)
    for _step in range(2):
        cases.case_task_complete(actor=approver, case=case, opinion="同意")
    cases.case_decide(actor=approver, case=case, decision="approve", opinion="符合换领条件")
    cases.case_conclude(actor=approver, case=case, result_number="110105202611220001")
    page.reload()
    assert _status(page) == "concluded"
    with page.expect_download() as download:
        page.get_by_role("link", name="电子办理结果（PDF）").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert_fits_the_screen(page)

    # Anyone with the notice can look the progress up without logging in, and sees nothing personal.
    page.get_by_role("button", name="退出").click()
    page.goto(f"{site}/progress/?number={number}")
    page.get_by_label("申请人姓名（名称）").fill("张三")
    page.get_by_label("证件号码后四位").fill("002X")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name=ITEM)).to_be_visible()
    assert _status(page) == "concluded"
    expect(page.get_by_text("办理结果已出。")).to_be_visible()
    assert "11010519491231002X" not in page.content()
    assert_fits_the_screen(page)


def _role(name: str):  # type: ignore[no-untyped-def]
    from yiwang.accounts.roles import Role

    return Role(name)
