"""One error body everywhere under /api/v1/, in Chinese by default, naming the field."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _assert_error_body(body: dict, code: str) -> None:
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], dict)


def test_unknown_route_gets_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    _assert_error_body(response.json(), "not_found")
    assert response.json()["message"] == "请求的资源不存在。"


def test_unknown_method_gets_json_405_with_allowed_methods(client: Client) -> None:
    response = client.delete("/api/v1/regions")
    assert response.status_code == 405
    body = response.json()
    _assert_error_body(body, "method_not_allowed")
    assert body["details"]["allowed_methods"] == ["GET"]


def test_malformed_json_is_a_400_not_a_500(client: Client) -> None:
    response = client.post("/api/v1/auth/token", data='{"username": "a"', content_type="application/json")
    assert response.status_code == 400
    _assert_error_body(response.json(), "bad_request")


def test_wrong_type_names_the_field(client: Client) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "a", "password": 5}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    _assert_error_body(body, "validation_error")
    assert [e["field"] for e in body["details"]["errors"]] == ["password"]
    assert body["message"] == "password: 必须是文本。"


def test_missing_and_overlong_fields_are_each_named(client: Client) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "x" * 151}, content_type="application/json")
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["details"]["errors"]}
    assert errors["username"]["type"] == "string_too_long"
    assert "150" in errors["username"]["message"]
    assert errors["password"]["type"] == "missing"


def test_query_parameter_errors_name_the_parameter(client: Client) -> None:
    response = client.get("/api/v1/regions?page=zero")
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "page"


def test_page_size_has_a_hard_maximum(client: Client) -> None:
    response = client.get("/api/v1/regions?page_size=101")
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "page_size"
    assert client.get("/api/v1/regions?page_size=100").status_code == 200


def test_huge_path_id_is_a_404_not_an_overflow(client: Client) -> None:
    response = client.get("/api/v1/departments/99999999999999999999999999")
    assert response.status_code in (404, 422)
    _assert_error_body(response.json(), response.json()["code"])


def test_english_on_request(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/api/v1/no-such-thing")
    assert response.json()["message"] == "The requested resource does not exist."


def test_request_id_is_echoed_and_reported_in_errors(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"X-Request-ID": "abc-123"})
    assert response["X-Request-ID"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"


def test_unsafe_request_id_is_replaced(client: Client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_request_id_is_generated_when_absent(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second


def test_counting_stops_at_the_limit(client: Client, settings, demo_city) -> None:  # type: ignore[no-untyped-def]
    settings.YIWANG_API_COUNT_LIMIT = 3
    body = client.get("/api/v1/regions?page_size=2").json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (3, True, 2)
    settings.YIWANG_API_COUNT_LIMIT = 10_000
    body = client.get("/api/v1/regions?page_size=2").json()
    assert body["count_capped"] is False and body["count"] > 3
