"""Error pages are in Chinese and never show a stack trace."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_chinese_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "您访问的页面不存在" in content
    assert "Traceback" not in content


def test_wrong_method_on_a_page_is_405_not_500(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_csrf_failure_page_is_chinese(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "此页面已过期" in response.content.decode()


def test_security_headers_are_set(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Language"] == "zh-hans"


def test_a_domain_refusal_in_a_page_is_a_403_page_not_a_500(make_user, login) -> None:  # type: ignore[no-untyped-def]
    from yiwang.accounts.roles import Role

    client = login(make_user(Role.CLERK))
    response = client.get("/accounts/roles/")
    assert response.status_code == 403
    assert "您无权访问此页面" in response.content.decode()
