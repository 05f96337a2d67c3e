from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_regions_are_paginated(client: Client, demo_city: None) -> None:
    body = client.get("/api/v1/regions?page_size=4&page=2").json()
    assert body["count"] == 10
    assert (body["page"], body["page_size"]) == (2, 4)
    assert len(body["items"]) == 4


def test_regions_filter_by_parent_and_level(client: Client, demo_city: None) -> None:
    body = client.get("/api/v1/regions?parent=990102").json()
    assert [r["name"] for r in body["items"]] == ["东湖街道", "朝阳街道"]
    body = client.get("/api/v1/regions?level=district").json()
    assert body["count"] == 3


def test_region_detail_and_404(client: Client, demo_city: None) -> None:
    assert client.get("/api/v1/regions/990102").json()["parent_code"] == "990100"
    response = client.get("/api/v1/regions/123456")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_departments_within_a_region_subtree(client: Client, demo_city: None) -> None:
    body = client.get("/api/v1/departments?within=990100&page_size=100").json()
    assert body["count"] == 12  # the eleven of the seed reports and 财政局 (supervising procurement)
    assert client.get("/api/v1/departments?within=990102").json()["count"] == 0


def test_region_list_query_count_is_pinned(client: Client, demo_city: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    # One count, one page (parents joined): independent of the page size.
    with django_assert_num_queries(2):
        client.get("/api/v1/regions?page_size=100")


def test_department_list_query_count_is_pinned(client: Client, demo_city: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        client.get("/api/v1/departments?page_size=100")
