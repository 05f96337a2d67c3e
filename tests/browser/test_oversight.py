"""The leaders' dashboard in a real browser (issue 9): after cases are handled (one concluded and rated,
one left overdue, one refused) and a visit is rated at the window, the centre's administrator opens
政务服务效能 and every tile equals the formula computed here straight from the records; the overdue
case's red card drills down to the case; the Excel export downloads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.browser.conftest import _open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, demo_city, demo_catalogue):  # type: ignore[no-untyped-def]
    from yiwang.accounts.models import User
    from yiwang.accounts.services import company_register
    from yiwang.cases import services as cases
    from yiwang.cases.models import Case
    from yiwang.evaluation import services as ratings
    from yiwang.evaluation.services import Given, case_link_token
    from yiwang.evaluation.tests.conftest import make_case
    from yiwang.oversight.aggregates import dirty_days_refresh
    from yiwang.oversight.cards import oversee

    company_register(
        company_name="示范餐饮有限公司", credit_code="91350100M000100Y43", phone="13800138002", password="Pw-2026-test!"
    )
    people = {"clerk": User.objects.get(username="demo-clerk"), "approver": User.objects.get(username="demo-approver")}
    done = make_case(people, result_number="JY13599000000021")
    late = make_case(people, conclude=False)
    cases.case_accept(actor=people["clerk"], case=late)
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    refused = make_case(people, conclude=False)
    cases.case_refuse(
        actor=people["clerk"], case=refused, reason="申请材料不齐全且无法补正", basis="行政许可法第三十二条"
    )
    ratings.rating_for_case(
        case=done, link_token=case_link_token(done), channel="qr", given=Given(level=2, comment="等候时间太长")
    )
    oversee()
    dirty_days_refresh()
    return str(live_server.url), late.number


def _formulas() -> dict[str, str]:
    """The tiles' figures computed from the records themselves, not from the aggregates."""
    from yiwang.cases.models import Case, CaseStatus
    from yiwang.evaluation.models import Rating

    cases = list(Case.objects.all())
    concluded = [c for c in cases if c.concluded_at]
    accepted = [c for c in cases if c.accepted_at]
    on_time = [c for c in concluded if c.due_on is None or timezone.localdate(c.concluded_at) <= c.due_on]
    same_day = [c for c in concluded if timezone.localdate(c.concluded_at) == timezone.localdate(c.accepted_at)]
    ratings = list(Rating.objects.filter(status="valid"))
    good = [r for r in ratings if r.level >= 3]

    def rate(part: list[object], whole: list[object]) -> str:
        return f"{100 * len(part) / len(whole):.1f}%" if whole else "—"

    return {
        "received": str(len(cases)),
        "on_time_rate": rate(on_time, concluded),  # type: ignore[arg-type]
        "same_day_rate": rate(same_day, accepted),  # type: ignore[arg-type]
        "online_rate": rate([c for c in cases if c.channel in ("online", "mobile")], cases),  # type: ignore[arg-type]
        "satisfaction_rate": rate(good, ratings),  # type: ignore[arg-type]
        "ratings": str(len(ratings)),
        "refused": str(len([c for c in cases if c.status == CaseStatus.REFUSED])),
    }


def test_the_dashboard_equals_a_recount_and_drills_down(browser: Browser, site, settings) -> None:  # type: ignore[no-untyped-def]
    url, late_number = site
    page, problems = _open_page(browser, {"width": 1280, "height": 900})
    page.goto(f"{url}/accounts/login/?next=/workbench/oversight/")
    page.get_by_label("用户名").fill("demo-centre-admin")
    page.get_by_label("密码").fill(settings.YIWANG_DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政务服务效能")
    expected = _formulas()
    for code in ("received", "on_time_rate", "same_day_rate", "online_rate", "satisfaction_rate", "ratings"):
        expect(page.locator(f"[data-kpi={code}]")).to_have_text(expected[code])
    assert expected["received"] == "3" and expected["satisfaction_rate"] == "0.0%"
    expect(page.locator("svg").first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="黄红牌", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("黄红牌")
    page.get_by_role("row").filter(has_text="示范市市场监督管理局").first.get_by_role("link").click()
    expect(page.locator("[data-card=overdue]")).to_contain_text(late_number)
    page.get_by_role("link", name=late_number).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(late_number)

    page.goto(f"{url}/workbench/oversight/exceptions/")
    expect(page.locator("[data-exceptions=overdue]")).to_contain_text(late_number)
    page.context.close()
    assert not problems, "\n".join(problems)
