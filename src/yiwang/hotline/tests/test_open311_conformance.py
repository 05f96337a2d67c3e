"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) rule by rule, over raw HTTP with Django's
test client: XML (the required format, UTF-8 with its declaration) and JSON for every resource, the
spec's element names, errors in its format with its statuses, comma-separated arguments, the default
90-day window and the response volume, the location alternatives, the optional description, media_url,
and the Service Discovery document."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from yiwang.accounts.api_keys import api_key_issue
from yiwang.core.errors import ValidationFailed
from yiwang.hotline import services
from yiwang.hotline.models import Category, Ticket, TicketStatus
from yiwang.hotline.open311 import query

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


@pytest.fixture
def key(people) -> str:  # type: ignore[no-untyped-def]
    raw, _key = api_key_issue(actor=None, name="随手拍 App", scopes=["hotline:submit"])
    return raw


def _phone_ticket(description: str = "停电两个小时了，什么时候恢复", **fields: Any) -> Ticket:
    return services.ticket_create(actor=None, intake=services.Intake(
        channel="phone", kind="consult", category_code="SD0201", description=description,
        region_code="990103002", caller_phone="13600136000", **fields,
    ))  # fmt: skip


def _received(ticket: Ticket, days_ago: float) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return Ticket.objects.get(pk=ticket.pk)


def _xml(response: Any) -> ElementTree.Element:
    """The spec's XML: text/xml in UTF-8, the declaration first, no namespace."""
    assert response["Content-Type"] == "text/xml; charset=utf-8", response.content
    assert response.content.startswith(XML_DECLARATION)
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own server's answer)


def _json(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8", response.content
    return json.loads(response.content.decode("utf-8"))


def _errors(response: Any) -> list[tuple[int, str]]:
    """Errors (GeoReport v2, "Errors"): a list of code and description in either format."""
    if response["Content-Type"].startswith("text/xml"):
        root = _xml(response)
        assert root.tag == "errors" and all(e.tag == "error" for e in root)
        return [(int(e.findtext("code") or 0), e.findtext("description") or "") for e in root]
    return [(e["code"], e["description"]) for e in _json(response)]


def _ids(root: ElementTree.Element) -> list[str]:
    assert root.tag == "service_requests" and all(r.tag == "request" for r in root)
    return [r.findtext("service_request_id") or "" for r in root]


# --- Format Support: XML is required and the default, JSON by its extension -------------------------


def test_every_resource_answers_in_xml_with_the_specs_element_names(people, key) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    services_xml = _xml(client.get(f"{BASE}/services.xml"))
    assert services_xml.tag == "services" and {s.tag for s in services_xml} == {"service"}
    lamp = next(s for s in services_xml if s.findtext("service_code") == "SZ0201")
    assert [c.tag for c in lamp] == ["service_code", "service_name", "description", "metadata", "type",
                                     "keywords", "group"]  # fmt: skip
    assert (lamp.findtext("service_name"), lamp.findtext("metadata"), lamp.findtext("type")) == (
        "路灯不亮", "false", "realtime")  # fmt: skip

    definition = _xml(client.get(f"{BASE}/services/SZ0201.xml"))
    assert definition.tag == "service_definition" and definition.findtext("service_code") == "SZ0201"
    attributes = definition.find("attributes")
    assert attributes is not None and len(attributes) == 0

    posted = client.post(f"{BASE}/requests.xml", {"api_key": key, "service_code": "SZ0201", "lat": "24.5",
                                                  "long": "118.1", "description": "路灯不亮"})  # fmt: skip
    assert posted.status_code == 201, posted.content
    created = _xml(posted)
    [number] = _ids(created)
    token = created.findtext("request/token") or ""
    assert created.find("request/account_id") is not None and created.findtext("request/account_id") == ""

    one = _xml(client.get(f"{BASE}/requests/{number}.xml"))
    assert _ids(one) == [number]
    assert [c.tag for c in one[0]] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "lat", "long", "media_url",
    ]  # fmt: skip
    assert (one.findtext("request/status"), one.findtext("request/lat")) == ("open", "24.5")
    assert _ids(_xml(client.get(f"{BASE}/requests.xml"))) == [number]
    by_token = _xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert (by_token.findtext("request/service_request_id"), by_token.findtext("request/token")) == (number, token)
    assert _xml(client.get(f"{BASE}/discovery.xml")).tag == "discovery"


def test_json_is_the_same_documents_in_utf8(people) -> None:  # type: ignore[no-untyped-def]
    ticket = _phone_ticket("夜间施工噪音扰民，凌晨两点还在打桩")
    response = Client().get(f"{BASE}/requests/{ticket.number}.json")
    assert "夜间施工".encode() in response.content  # UTF-8 itself, not \\u escapes
    [found] = _json(response)
    assert found["description"] == "夜间施工噪音扰民，凌晨两点还在打桩"
    assert (found["address_id"], found["zipcode"], found["media_url"], found["lat"]) == ("990103002", None, None, None)
    assert _json(Client().get(f"{BASE}/services/SZ0201.json")) == {"service_code": "SZ0201", "attributes": []}


def test_xml_escapes_what_markup_would_break(people) -> None:  # type: ignore[no-untyped-def]
    text = "路灯<不亮> & \"闪烁\" '一周' ]]> <![CDATA[x]]>"
    ticket = _phone_ticket(text)
    root = _xml(Client().get(f"{BASE}/requests/{ticket.number}.xml"))
    assert root.findtext("request/description") == text
    assert b"<\xe4\xb8\x8d" not in Client().get(f"{BASE}/requests/{ticket.number}.xml").content


# --- Errors: Open311's format, JSON or XML by the extension, XML when unknown; never an HTML page -----


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/services.yaml", 404, "text/xml"),
        ("/requests.html", 404, "text/xml"),
        ("/services/SZ0201.csv", 404, "text/xml"),
        ("/nothing.json", 404, "application/json"),
        ("/nothing.xml", 404, "text/xml"),
        ("/nothing", 404, "text/xml"),
        ("/services.json/", 404, "application/json"),
        ("/services/NOPE.json", 404, "application/json"),
        ("/services/SZ02.xml", 404, "text/xml"),  # a group, not a service
        ("/requests/12345-19990101-000001.json", 404, "application/json"),
        ("/tokens/nope.xml", 404, "text/xml"),
    ],
)
def test_unknown_paths_and_formats_answer_in_open311s_error_format(people, path, status, content_type) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(BASE + path)
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
    assert b"<html" not in response.content.lower()
    [(code, description)] = _errors(response)
    assert code == status and description


def test_methods_a_resource_does_not_take_are_405_in_its_format(people) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert _errors(response)[0][0] == 405
    response = client.put(f"{BASE}/requests.xml")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    assert _errors(response)[0][0] == 405
    # A form posted to an unknown path is a 404 in Open311's format, not the CSRF page.
    response = client.post(f"{BASE}/request.json", {"service_code": "SZ0201"})
    assert response.status_code == 404 and _errors(response)[0][0] == 404


def test_a_lost_database_is_503_in_open311s_format(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("yiwang.hotline.open311.views.category_leaves", down)
    response = Client().get(f"{BASE}/services.xml")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert _errors(response)[0][0] == 503


# --- POST Service Request ----------------------------------------------------------------------------


def test_post_errors_have_the_specs_statuses_and_name_the_parameter(people, key) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    wrong_scope, _k = api_key_issue(actor=None, name="别的系统", scopes=["licences:use"])
    good = {"api_key": key, "service_code": "SZ0201", "address_string": "幸福路 8 号", "description": "路灯不亮一周"}

    def post(fmt: str = "json", **changes: str) -> tuple[int, list[tuple[int, str]]]:
        form = {k: v for k, v in {**good, **changes}.items() if v is not None}
        response = client.post(f"{BASE}/requests.{fmt}", form)
        return response.status_code, _errors(response)

    assert post(api_key="")[0] == 403
    assert post(api_key="ywk_nope")[0] == 403
    assert post(api_key=wrong_scope)[0] == 403
    status, errors = post("xml", api_key="nope")
    assert status == 403 and errors[0][0] == 403  # the spec's own example, in XML
    assert post(service_code="")[0] == 400  # not provided
    assert post(service_code="XX99")[0] == 404  # not found
    assert post(service_code="SZ02")[0] == 404  # a group, not a service
    status, errors = post(address_string="")
    assert status == 400 and errors[0][1].startswith("location:")
    status, errors = post(lat="24.5")
    assert status == 400 and errors[0][1].startswith("lat:")
    status, errors = post(lat="95", long="118")
    assert status == 400 and errors[0][1].startswith("lat:")
    status, errors = post(address_id="000000000")
    assert status == 400 and errors[0][1].startswith("address_id:")
    status, errors = post(description="路灯\x07不亮")
    assert status == 400 and errors[0][1].startswith("description:")
    status, errors = post(description="x" * 5001)
    assert status == 400 and errors[0][1].startswith("description:")
    status, errors = post(service_code="XX99", media_url="ftp://x")  # every problem at once
    assert status == 404 and [e[1].split(":")[0] for e in errors] == ["service_code", "media_url"]
    response = client.post(f"{BASE}/requests.json", json.dumps(good), content_type="application/json")
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_address_id_alone_is_a_location_and_description_is_optional(people, key) -> None:  # type: ignore[no-untyped-def]
    """POST Service Request: one of lat & long, address_string or address_id; description optional."""
    response = Client().post(f"{BASE}/requests.json", {"api_key": key, "service_code": "SZ0201",
                                                       "address_id": "990103002"})  # fmt: skip
    assert response.status_code == 201, response.content
    number = _json(response)[0]["service_request_id"]
    ticket = Ticket.objects.select_related("region").get(number=number)
    assert (ticket.region.code, ticket.description, ticket.address) == ("990103002", "", "")  # type: ignore[union-attr]
    [found] = _json(Client().get(f"{BASE}/requests/{number}.json"))
    assert (found["address_id"], found["description"], found["address"]) == ("990103002", None, None)
    # Other channels still describe every request in words.
    with pytest.raises(ValidationFailed) as refused:
        _phone_ticket("")
    assert [e["field"] for e in refused.value.details["errors"]] == ["description"]


def test_media_url_is_kept_returned_and_shown_to_staff(people, key) -> None:  # type: ignore[no-untyped-def]
    photo = "https://img.example.org/photos/路灯-0042.jpg?size=large&v=2"
    client = Client()
    response = client.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "SZ0201", "lat": "24.1",
                                                     "long": "118.6", "media_url": photo})  # fmt: skip
    assert response.status_code == 201, response.content
    number = _json(response)[0]["service_request_id"]
    assert Ticket.objects.get(number=number).media_url == photo
    assert _json(client.get(f"{BASE}/requests/{number}.json"))[0]["media_url"] == photo
    assert _xml(client.get(f"{BASE}/requests/{number}.xml")).findtext("request/media_url") == photo

    staff = Client()
    staff.force_login(people["agent"])
    page = staff.get(f"/workbench/hotline/tickets/{number}/").content.decode()
    assert 'href="https://img.example.org/photos/路灯-0042.jpg?size=large&amp;v=2"' in page
    assert "data-no-description" in page and 'rel="noopener noreferrer nofollow"' in page


@pytest.mark.parametrize(
    "media_url",
    ["javascript:alert(1)", "ftp://example.org/a.jpg", "/photos/a.jpg", "https://exa mple.org/a.jpg",
     "https://example.org/\x01.jpg", "https://example.org/" + "a" * 490],
)  # fmt: skip
def test_media_url_must_be_an_http_url_of_sane_length(people, key, media_url) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(f"{BASE}/requests.xml", {"api_key": key, "service_code": "SZ0201",
                                                      "address_string": "幸福路", "media_url": media_url})  # fmt: skip
    assert response.status_code == 400
    assert _errors(response)[0][1].startswith("media_url:")
    assert Ticket.objects.count() == 0


# --- GET Service Requests ------------------------------------------------------------------------------


def test_status_and_service_code_take_comma_separated_lists(people) -> None:  # type: ignore[no-untyped-def]
    opened, closed = _phone_ticket(), _phone_ticket("停电已经修好了，谢谢")
    Ticket.objects.filter(pk=closed.pk).update(status=TicketStatus.CLOSED, closed_at=timezone.now())
    client = Client()

    def listed(arguments: str) -> set[str]:
        return set(_ids(_xml(client.get(f"{BASE}/requests.xml?{arguments}"))))

    both = {opened.number, closed.number}
    assert listed("status=open,closed") == listed("status=open, closed") == listed("") == both
    assert listed("status=open") == {opened.number}
    assert listed("status=closed") == {closed.number}
    assert listed("service_code=SZ0201,SD0201") == both
    assert listed("service_code=SZ0201") == set()
    response = client.get(f"{BASE}/requests.xml?status=open,pending")
    assert response.status_code == 400 and _errors(response)[0][0] == 400


def test_the_default_window_is_the_last_90_days(people) -> None:  # type: ignore[no-untyped-def]
    recent, old = _received(_phone_ticket(), 10), _received(_phone_ticket(), 100)
    client = Client()

    def listed(arguments: str = "") -> list[str]:
        return [r["service_request_id"] for r in _json(client.get(f"{BASE}/requests.json?{arguments}"))]

    assert listed() == [recent.number]
    start = (timezone.now() - timedelta(days=120)).isoformat(timespec="seconds")
    assert listed(f"start_date={start.replace('+', '%2B')}") == [old.number]  # 90 days from the start
    end = (timezone.now() - timedelta(days=50)).isoformat(timespec="seconds")
    assert listed(f"end_date={end.replace('+', '%2B')}") == [old.number]  # 90 days up to the end
    # A "+" sent unencoded arrives as a space and is still read as the offset.
    assert listed(f"start_date={start}") == [old.number]
    # service_request_id overrides every other argument, the window included.
    assert set(listed(f"service_request_id={old.number},{recent.number}&status=closed")) == {
        old.number, recent.number}  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ("start_date=2026-01-01", "start_date"),  # no time, no offset
        ("start_date=2026-01-01T00:00:00", "start_date"),  # no offset
        ("end_date=2026-13-01T00:00:00Z", "end_date"),
        ("end_date=yesterday", "end_date"),
        ("start_date=0001-01-01T00:00:00Z", "start_date"),
        ("start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z", "end_date"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90"),
    ],
)
def test_start_and_end_dates_are_checked(people, arguments, says) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(f"{BASE}/requests.json?{arguments}")
    assert response.status_code == 400
    [(code, description)] = _errors(response)
    assert code == 400 and says in description


def test_the_response_volume_is_limited_and_says_so(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The spec's "Response Volume": the first 1000 requests (the spec's limit, ours), the newest first."""
    assert query.LIMIT == 1000
    monkeypatch.setattr(query, "LIMIT", 2)
    made = [_received(_phone_ticket(), days) for days in (3, 2, 1)]
    response = Client().get(f"{BASE}/requests.json")
    assert [r["service_request_id"] for r in _json(response)] == [made[2].number, made[1].number]
    assert response["X-Open311-More"] == "true"
    assert "X-Open311-More" not in Client().get(f"{BASE}/requests.json?status=closed")
    too_many = ",".join(t.number for t in made)
    assert Client().get(f"{BASE}/requests.json?service_request_id={too_many}").status_code == 400


# --- Service Discovery ---------------------------------------------------------------------------------


def test_the_discovery_document_in_both_formats(people) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    document = _json(client.get(f"{BASE}/discovery.json"))
    assert set(document) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = document["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": document["changeset"],
        "type": "test",
        "formats": ["text/xml", "application/json"],
    }
    assert "12345" in document["contact"] and "hotline:submit" in document["key_service"]

    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    assert _xml(client.get(f"{BASE}/")).tag == "discovery"  # the endpoint's own address

    # The changeset is sortable and moves when the service list changes.
    Category.objects.update(updated_at=timezone.now() - timedelta(days=3))
    before = _json(client.get(f"{BASE}/discovery.json"))["changeset"]
    services.category_upsert(actor=None, code="SZ0202", name="路灯闪烁", parent=Category.objects.get(code="SZ02"))
    after = _json(client.get(f"{BASE}/discovery.json"))["changeset"]
    assert after > before and len(after) == len(before) == 20 and after.endswith("Z")
    assert "SZ0202" in {s["service_code"] for s in _json(client.get(f"{BASE}/services.json"))}
