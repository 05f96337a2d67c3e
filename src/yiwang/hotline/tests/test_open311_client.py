"""A published Open311 client against the running server: georeport 0.3.1 from PyPI (a GeoReport v2
wrapper on requests and xmltodict, pinned in the ``dev`` extra) reads the services, a service
definition, the requests and one request, in JSON and in XML — the format it parses with xmltodict.
georeport does not submit, so the request it reads is submitted by plain HTTP, as a civic app does.

Other clients on PyPI were tried and do not run on Python 3.11: ``open311`` 1.1 (2011) imports its XML
helper with a Python 2 implicit relative import (``from xml2dict import xml2dict``) and ``urllib2``;
``three`` 0.8.0 (2013) imports ``itertools.ifilter``, gone in Python 3, and needs ``relaxml``."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from georeport import GeoReport

from yiwang.accounts.api_keys import api_key_issue
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base(live_server, demo_city) -> str:  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())
    return f"{live_server.url}/open311/v2"


def _submit(base: str, form: dict[str, str]) -> None:
    request = urllib.request.Request(f"{base}/requests.json", data=urllib.parse.urlencode(form).encode())  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        assert response.status == 201


@pytest.mark.parametrize("output_format", ["xml", "json"])
def test_georeport_reads_services_and_requests(base: str, output_format: str) -> None:
    raw, _key = api_key_issue(actor=None, name="随手拍 App", scopes=["hotline:submit"])
    _submit(base, {"api_key": raw, "service_code": "SZ0201", "lat": "24.123456", "long": "118.654321",
                   "description": "路口两盏路灯一周没亮了 & 晚上很黑 <急>",
                   "media_url": "https://img.example.org/lamp.jpg"})  # fmt: skip
    client = GeoReport(base, output_format=output_format)

    services = client.get_service_list()
    lamp = next(s for s in services if s["service_code"] == "SZ0201")
    assert (lamp["service_name"], lamp["group"], str(lamp["metadata"]).lower()) == ("路灯不亮", "路灯照明", "false")

    definition = client.get_service_definition("SZ0201")
    assert definition["service_code"] == "SZ0201"

    found = client.get_service_requests(status="open,closed", service_code="SZ0201")
    # xmltodict makes a single <request> a mapping, several a list.
    requests = found if isinstance(found, list) else [found]
    [request] = requests
    assert request["description"] == "路口两盏路灯一周没亮了 & 晚上很黑 <急>"
    assert (request["status"], request["media_url"]) == ("open", "https://img.example.org/lamp.jpg")
    assert str(request["lat"]) == "24.123456"

    one = client.get_service_request(request["service_request_id"])
    assert one["service_request_id"] == request["service_request_id"] and one["service_code"] == "SZ0201"
