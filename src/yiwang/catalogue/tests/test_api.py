"""The published catalogue through the API: only published versions, the full guide, HTTP caching."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.catalogue import services
from yiwang.catalogue.models import LicenceType, MaterialRequirement
from yiwang.catalogue.tests.conftest import draft as _draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people, base_item):  # type: ignore[no-untyped-def]
    version = _draft(people, base_item, aliases=["食品许可证"], keywords=["餐饮", "超市"], themes=["准营准办"])
    licence = LicenceType.objects.create(code="BL", name="营业执照", holder_type="legal_person")
    MaterialRequirement.objects.create(version=version, order=1, name="营业执照", replaced_by=licence)
    MaterialRequirement.objects.create(version=version, order=2, name="食品安全管理制度", necessity="deferrable")
    services.version_submit(actor=people["dept_admin"], version=version)
    services.version_publish(actor=people["centre_admin"], version=version)
    return version


def test_drafts_are_not_published(client: Client, people, base_item) -> None:  # type: ignore[no-untyped-def]
    version = _draft(people, base_item)
    assert client.get("/api/v1/catalogue/implementations").json()["count"] == 0
    assert client.get(f"/api/v1/catalogue/implementations/{version.implementation.code}").status_code == 404


@pytest.mark.parametrize("query", ["q=食品", "q=食品许可证", "q=超市", "theme=准营准办", "level=3"])
def test_list_filters_find_it(client: Client, published, query: str) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/v1/catalogue/implementations?{query}").json()
    assert [item["name"] for item in body["items"]] == ["食品经营许可（新办）"]


def test_list_filters_exclude_it(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/catalogue/implementations?q=驾驶证").json()["count"] == 0
    assert client.get("/api/v1/catalogue/implementations?level=4").json()["count"] == 0


def test_the_guide_has_everything_and_marks_exempt_materials(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    code = published.implementation.code
    response = client.get(f"/api/v1/catalogue/implementations/{code}")
    body = response.json()
    assert (body["statutory_limit"], body["promised_limit"], body["version"]) == (20, 5, 1)
    assert [s["name"] for s in body["steps"]] == ["受理", "审查决定"]
    materials = {m["name"]: m for m in body["materials"]}
    assert materials["营业执照"]["exempt"] is True
    assert materials["营业执照"]["replaced_by"] == "BL"
    assert materials["食品安全管理制度"]["necessity"] == "deferrable"
    assert materials["食品安全管理制度"]["replaced_by"] is None
    assert materials["食品安全管理制度"]["exempt"] is False
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]
    assert response["Last-Modified"]


def test_a_conditional_get_is_304(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/catalogue/implementations/{published.implementation.code}"
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_list_query_count_is_pinned(client: Client, published, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        client.get("/api/v1/catalogue/implementations?page_size=100")


def test_a_list_item_carries_the_summary(client: Client, published) -> None:  # type: ignore[no-untyped-def]
    item = client.get("/api/v1/catalogue/implementations").json()["items"][0]
    assert item == {
        "code": published.implementation.code,
        "name": "食品经营许可（新办）",
        "department": "示范市市场监督管理局",
        "level": "3",
        "case_kind": "promised",
        "statutory_limit": 20,
        "promised_limit": 5,
        "visits": 0,
        "online_depth": [1, 2, 3, 4, 5, 6],
    }
