from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_is_in_chinese_with_a_search_box(client: Client, demo_city: None) -> None:
    content = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in content
    assert "政务服务网" in content
    assert 'type="search"' in content
    assert "个人办事" in content
    assert "法人办事" in content
    assert "示范市政务服务中心 · 综合服务大厅" in content


def test_english_is_available(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert "Services for individuals" in content
    assert '<html lang="en">' in content


def test_chinese_stays_the_default_whatever_the_browser_says(client: Client) -> None:
    content = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "个人办事" in content


def test_search_finds_departments(client: Client, demo_city: None) -> None:
    content = client.get("/search/?q=民政").content.decode()
    assert "示范市民政局" in content


def test_search_with_no_result_says_so(client: Client, demo_city: None) -> None:
    content = client.get("/search/?q=不存在的东西").content.decode()
    assert "没有找到与“不存在的东西”相关的结果。" in content


def test_overlong_search_is_cut_not_refused(client: Client) -> None:
    assert client.get("/search/?q=" + "很" * 5000).status_code == 200


@pytest.mark.parametrize("path", ["/personal/", "/business/"])
def test_audience_pages(client: Client, demo_city: None, path: str) -> None:
    content = client.get(path).content.decode()
    assert "示范市公安局" in content
    assert 'aria-current="page"' in content


def test_home_leads_to_every_service_and_lists_the_most_used(client: Client, demo_catalogue: None) -> None:
    """Issue 21: what a citizen comes for is one tap from the home page; the most used services are those
    applied for most in the last 90 days (the catalogue's first items before anyone has applied)."""
    from django.core.cache import cache

    cache.clear()
    content = client.get("/").content.decode()
    for path in ("/12345/new/", "/12345/mine/", "/12345/answers/", "/progress/", "/hall/appointments/",
                 "/licences/verify/", "/my/", "/trading/", "/disclosure/"):  # fmt: skip
        assert f'href="{path}"' in content, path
    assert 'data-testid="popular"' in content
    assert 'href="/12345/">' in content  # the footer's hotline number leads to the web channel
    for path in ("/12345/", "/12345/new/", "/12345/mine/", "/12345/answers/"):
        assert client.get(path).status_code == 200, path
