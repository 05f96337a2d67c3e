"""The pages of 好差评: rating a case by its link, the window's rating device, the remediation queues and
an item's steps through to an appeal, and the ratings list with its figures."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from yiwang.evaluation.models import Rating, Remediation
from yiwang.evaluation.services import case_link_token
from yiwang.hall.tests.conftest import MORNING

pytestmark = pytest.mark.django_db


def test_rating_a_case_by_its_link_then_amending(client: Client, concluded: Any) -> None:
    url = f"/rate/{case_link_token(concluded)}/"
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and concluded.number in body and "非常满意" in body and "示范餐饮" not in body
    missing = client.post(url, {"level": "1", "comment": ""})
    assert missing.status_code == 422 and "请告诉我们哪里做得不好" in missing.content.decode()
    assert not Rating.objects.exists()
    done = client.post(url, {"level": "2", "comment": "跑了三次", "score_overall": "2"}, follow=True)
    assert "感谢您的评价" in done.content.decode() and "您对该办件的评价：不满意" in done.content.decode()
    rating = Rating.objects.get()
    assert (rating.channel, rating.scores) == ("qr", {"overall": 2}) and Remediation.objects.filter(
        rating=rating
    ).exists()
    client.post(url, {"level": "4", "comment": "后来解决了"})
    assert Rating.objects.get().level == 4 and Remediation.objects.get().status == "closed"
    assert client.get("/rate/forged-token/").status_code == 404


def test_the_applicant_logged_in_rates_online(client: Client, concluded: Any, company: Any) -> None:
    client.force_login(company)
    client.post(f"/rate/{case_link_token(concluded)}/", {"level": "5"})
    assert Rating.objects.get().channel == "online"


def test_the_window_device_shows_the_visit_just_finished(client: Client, hall_visit: Any, settings: Any) -> None:
    """The device shows its own day's visits: the test stands at the window that morning (the suite's clock
    may be on any day; the clerk's password is not what is tested here)."""
    visit, clerk, _other = hall_visit
    settings.YIWANG_PASSWORD_MAX_AGE_DAYS = 0
    with time_machine.travel(MORNING, tick=True):
        client.force_login(clerk)
        page = client.get("/workbench/evaluation/tablet/").content.decode()
        assert f"（{visit.number} 号）" in page
        client.post("/workbench/evaluation/tablet/", {"visit": visit.pk, "level": "5", "score_attitude": "5"})
        assert Rating.objects.get().visit_id == visit.pk
        idle = client.get("/workbench/evaluation/tablet/?part=1").content.decode()
        assert 'data-testid="tablet-idle"' in idle and 'hx-trigger="every 3s"' in idle


def test_a_bad_rating_through_the_pages_to_an_upheld_appeal(
    client: Client, concluded: Any, company: Any, people: Any, django_assert_max_num_queries: Any
) -> None:
    client.post(f"/rate/{case_link_token(concluded)}/", {"level": "1", "comment": "恶意差评测试内容"})
    item = Remediation.objects.get()
    head = Client()
    head.force_login(people["head"])
    with django_assert_max_num_queries(15):
        queue = head.get("/workbench/evaluation/").content.decode()
    assert f"/workbench/evaluation/remediations/{item.pk}/" in queue and "待联系" in queue
    assert head.get(f"/workbench/evaluation/remediations/{item.pk}/").status_code == 200
    other = Client()
    other.force_login(people["other_head"])
    assert other.get(f"/workbench/evaluation/remediations/{item.pk}/").status_code == 404
    empty = head.post(f"/workbench/evaluation/remediations/{item.pk}/appeal/", {"reason": ""}, follow=True)
    assert "申诉须写明理由" in empty.content.decode() and Remediation.objects.get().status == "pending"
    head.post(f"/workbench/evaluation/remediations/{item.pk}/appeal/", {"reason": "评价内容与办理过程无关，系恶意评价"})
    centre = Client()
    centre.force_login(people["supervisor"])
    page = centre.get(f"/workbench/evaluation/remediations/{item.pk}/").content.decode()
    assert "系恶意评价" in page and "申诉成立，撤销评价" in page
    centre.post(
        f"/workbench/evaluation/remediations/{item.pk}/review/", {"upheld": "yes", "note": "核实录音，确属恶意评价"}
    )
    assert Rating.objects.get().status == "removed" and Remediation.objects.get().status == "removed"
    listing = centre.get("/workbench/evaluation/ratings/").content.decode()
    assert "申诉后撤销" in listing


def test_my_page_lists_cases_to_rate(client: Client, concluded: Any, company: Any) -> None:
    client.force_login(company)
    page = client.get("/my/").content.decode()
    assert "待评价的办件" in page and concluded.number in page and "/rate/" in page
    client.post(f"/rate/{case_link_token(concluded)}/", {"level": "5"})
    assert concluded.number not in client.get("/my/").content.decode().split("待评价的办件")[1].split("</section>")[0]


def test_the_result_notice_carries_the_rating_code(concluded: Any) -> None:
    from yiwang.cases.notices import _NOTICE_CODES, notice_pdf

    codes = [provider(concluded, "result") for provider in _NOTICE_CODES]
    url, caption = next(code for code in codes if code)
    assert url.endswith(f"/rate/{case_link_token(concluded)}/") and "好差评" in caption
    assert all(provider(concluded, "acceptance") is None for provider in _NOTICE_CODES)
    with_code = notice_pdf(concluded, "result")
    saved = list(_NOTICE_CODES)
    _NOTICE_CODES.clear()
    try:
        without = notice_pdf(concluded, "result")
    finally:
        _NOTICE_CODES.extend(saved)
    assert with_code.startswith(b"%PDF") and len(with_code) > len(without) + 500  # the second code's image
