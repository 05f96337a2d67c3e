"""Open311 GeoReport v2 from a plain HTTP client against the running server (issue 8): the services,
a submission with an api_key, lookup by id and token, and errors in Open311's own format."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from yiwang.accounts.api_keys import api_key_issue
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base(live_server, demo_city) -> str:  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())
    return f"{live_server.url}/open311/v2"


def _call(url: str, form: dict[str, str] | None = None) -> tuple[int, Any]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_civic_app_submits_and_follows_a_request(base: str) -> None:
    raw, _key = api_key_issue(actor=None, name="随手拍 App", scopes=["hotline:submit"])
    status, services = _call(f"{base}/services.json")
    assert status == 200
    lamp = next(s for s in services if s["service_name"] == "路灯不亮")
    assert lamp == {**lamp, "service_code": "SZ0201", "metadata": False, "type": "realtime", "group": "路灯照明"}
    assert _call(f"{base}/services/SZ0201.json") == (200, {"service_code": "SZ0201", "attributes": []})
    assert _call(f"{base}/services/NOPE.json") == (404, [{"code": 404, "description": "未知的 service_code。"}])

    form = {"api_key": raw, "service_code": "SZ0201", "lat": "24.123456", "long": "118.654321",
            "address_string": "示范市城东区幸福路与朝阳路交叉口", "description": "路口两盏路灯一周没亮了，晚上很黑",
            "phone": "13500135000", "first_name": "明", "last_name": "赵"}  # fmt: skip
    status, created = _call(f"{base}/requests.json", form)
    assert status == 201, created
    number, token = created[0]["service_request_id"], created[0]["token"]
    assert _call(f"{base}/tokens/{token}.json") == (200, [{"service_request_id": number, "token": token}])
    status, found = _call(f"{base}/requests/{number}.json")
    assert status == 200 and found[0]["status"] == "open" and found[0]["service_code"] == "SZ0201"
    assert found[0]["lat"] == 24.123456 and "13500135000" not in json.dumps(found, ensure_ascii=False)
    ticket = Ticket.objects.get(number=number)
    assert (ticket.channel, ticket.caller_name) == ("open311", "赵 明")
    status, listed = _call(f"{base}/requests.json?status=open&service_code=SZ0201")
    assert status == 200 and [r["service_request_id"] for r in listed] == [number]


def test_bad_submissions_get_open311_errors_and_create_nothing(base: str) -> None:
    raw, _key = api_key_issue(actor=None, name="随手拍 App", scopes=["hotline:submit"])
    wrong_scope, _k = api_key_issue(actor=None, name="别的系统", scopes=["licences:use"])
    good = {"api_key": raw, "service_code": "SZ0201", "address_string": "幸福路", "description": "路灯不亮已经一周"}
    assert _call(f"{base}/requests.json", {**good, "api_key": "nope"})[0] == 403
    assert _call(f"{base}/requests.json", {**good, "api_key": wrong_scope})[0] == 403
    status, body = _call(f"{base}/requests.json", {**good, "service_code": "XX99"})
    assert (status, body[0]["code"]) == (404, 404)
    status, body = _call(f"{base}/requests.json", {**good, "address_string": ""})
    assert status == 400 and "位置" in body[0]["description"]
    status, body = _call(f"{base}/requests.json", {**good, "description": "路灯\x07不亮"})
    assert status == 400 and body[0]["description"].startswith("description")
    status, body = _call(f"{base}/requests.json", {**good, "media_url": "javascript:alert(1)"})
    assert status == 400 and body[0]["description"].startswith("media_url")
    assert _call(f"{base}/requests.json?status=pending")[0] == 400
    assert _call(f"{base}/requests/12345-19990101-000001.json")[0] == 404
    assert Ticket.objects.count() == 0
