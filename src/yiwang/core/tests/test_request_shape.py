"""Input no field can hold is a 4xx with a code and a Chinese message, never a 500 (issue 17, defect 5).

PostgreSQL refused NUL characters with a server error wherever they reached a query: a query string,
a path, a form field, a JSON body."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/regions?q=%00", "/api/v1/cases/%00", "/api/v1/catalogue/items?q=a%00b", "/search/?q=%00"],
)
def test_a_nul_in_the_address_is_400_with_a_code(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["code"] == "invalid_characters" and "不允许的字符" in response.json()["message"]
    else:
        assert "不允许的字符" in response.content.decode()


def test_a_nul_in_a_form_field_or_json_body_is_400(make_user: object) -> None:
    client = Client()
    form = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert form.status_code == 400 and "不允许的字符" in form.content.decode()
    body = client.post(
        "/api/v1/hotline/tickets", json.dumps({"description": "停电\u0000了"}), content_type="application/json"
    )
    assert (body.status_code, body.json()["code"]) == (400, "invalid_characters")


def test_a_body_over_the_limit_is_413_in_chinese(settings: object) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]
    api = Client().post("/api/v1/hotline/tickets", json.dumps({"d": "x" * 5000}), content_type="application/json")
    assert (api.status_code, api.json()["code"]) == (413, "payload_too_large")
    page = Client().post("/accounts/login/", {"username": "x" * 5000})
    assert page.status_code == 413 and "请求内容过大" in page.content.decode()


def test_too_many_form_fields_is_400(settings: object) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # type: ignore[attr-defined]
    response = Client().post("/accounts/login/", {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400 and "字段或文件过多" in response.content.decode()


def test_a_nul_in_the_session_cookie_is_no_session_not_a_500() -> None:
    """Found by review: the session key from the cookie reached PostgreSQL's query unchecked."""
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 200
    client.cookies["sessionid"] = "x" * 10_000
    assert client.get("/").status_code == 200


def test_a_json_body_nested_beyond_the_parser_is_400_not_500(make_user: object, bearer: object) -> None:
    from yiwang.accounts.roles import Role

    headers = bearer(make_user(Role.CITIZEN))  # type: ignore[operator]
    deep = "[" * 100_000 + "]" * 100_000
    body = '{"kind": "complaint", "category": "A01", "description": "停电", "address": ' + deep + "}"
    response = Client().post("/api/v1/hotline/tickets", body, content_type="application/json", headers=headers)
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_open311_clients_get_open311_errors_even_before_any_view(settings: object) -> None:
    """A NUL, a body over the limit, too many fields under /open311/: Open311's error list, in the format
    the path asks for (XML, the specification's default, else JSON) — never an HTML page."""
    from xml.etree import ElementTree

    nul = Client().get("/open311/v2/requests.xml?status=%00")
    assert nul.status_code == 400 and nul["Content-Type"].startswith("text/xml")
    error = ElementTree.fromstring(nul.content).find("error")  # noqa: S314  (our own response)
    assert (
        error is not None
        and error.findtext("code") == "400"
        and "不允许的字符" in (error.findtext("description") or "")
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]
    big = Client().post("/open311/v2/requests.json", {"description": "x" * 5000})
    assert big.status_code == 413 and big.json()[0]["code"] == 413
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # type: ignore[attr-defined]
    many = Client().post("/open311/v2/requests.json", {f"f{i}": "x" for i in range(50)})
    assert many.status_code == 400 and many.json()[0]["description"]
