"""The staff API of the catalogue: draft, fill, submit, publish, change, diff (issue 4, item 8)."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.catalogue.models import BaseItem, ImplementationVersion, ItemType
from yiwang.catalogue.tests.conftest import COMPLETE

pytestmark = pytest.mark.django_db
BASE = "/api/v1/catalogue/manage"


@pytest.fixture
def food(db: None) -> BaseItem:
    return BaseItem.objects.create(base_code="000120123000", name="食品经营许可", item_type=ItemType.LICENSING)


def _create(client: Client, headers: dict[str, str], people, **content):  # type: ignore[no-untyped-def]
    return client.post(
        f"{BASE}/implementations",
        {
            "base_code": "000120123000",
            "department_id": people["market"].pk,
            "level": "3",
            "name": "食品经营许可（新办）",
            "content": {**COMPLETE, **content},
        },
        content_type="application/json",
        headers=headers,
    )


def test_the_whole_lifecycle_through_the_api(client: Client, bearer, people, food) -> None:  # type: ignore[no-untyped-def]
    dept, centre = bearer(people["dept_admin"]), bearer(people["centre_admin"])
    created = _create(client, dept, people)
    assert created.status_code == 201, created.json()
    version_id = created.json()["id"]
    contents = client.put(
        f"{BASE}/versions/{version_id}/contents",
        {
            "steps": [
                {"name": "受理", "performer": "clerk", "working_days": 1},
                {"name": "审查决定", "performer": "approver", "working_days": 4},
            ],
            "materials": [{"name": "营业执照", "necessity": "required"}],
            "form_fields": [{"key": "area", "label": "经营面积", "field_type": "number"}],
        },
        content_type="application/json",
        headers=dept,
    )
    assert contents.status_code == 200, contents.json()
    patched = client.patch(
        f"{BASE}/versions/{version_id}", {"promised_limit": 4}, content_type="application/json", headers=dept
    )
    assert patched.status_code == 200
    assert (
        client.post(f"{BASE}/versions/{version_id}/submit", {}, content_type="application/json", headers=dept).json()[
            "status"
        ]
        == "review"
    )
    # Only the centre publishes.
    assert (
        client.post(
            f"{BASE}/versions/{version_id}/publish", {}, content_type="application/json", headers=dept
        ).status_code
        == 403
    )
    published = client.post(
        f"{BASE}/versions/{version_id}/publish", {}, content_type="application/json", headers=centre
    )
    assert published.json()["status"] == "published"
    code = published.json()["code"]
    assert client.get(f"/api/v1/catalogue/implementations/{code}").json()["promised_limit"] == 4
    # A change is a new version; the published one refuses edits with 409 and a code.
    refused = client.patch(
        f"{BASE}/versions/{version_id}", {"name": "x"}, content_type="application/json", headers=dept
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "version_immutable")
    second = client.post(f"{BASE}/implementations/{code}/versions", headers=dept).json()
    client.patch(
        f"{BASE}/versions/{second['id']}", {"promised_limit": 3}, content_type="application/json", headers=dept
    )
    diff = client.get(f"{BASE}/versions/{second['id']}/diff?against={version_id}", headers=dept).json()
    assert diff["fields"]["promised_limit"] == ["4", "3"]
    listed = client.get(f"{BASE}/implementations?status=draft", headers=dept).json()
    assert [row["latest_number"] for row in listed["items"]] == [2]


def test_every_missing_element_is_listed_with_a_code(client: Client, bearer, people, food) -> None:  # type: ignore[no-untyped-def]
    dept = bearer(people["dept_admin"])
    version_id = _create(client, dept, people, conditions="", visits=None).json()["id"]
    response = client.post(f"{BASE}/versions/{version_id}/submit", {}, content_type="application/json", headers=dept)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {e["field"] for e in body["details"]["errors"]} >= {"conditions", "visits", "steps"}
    assert ImplementationVersion.objects.get(pk=version_id).status == "draft"


def test_bad_input_is_refused_in_chinese_and_changes_nothing(client: Client, bearer, people, food) -> None:  # type: ignore[no-untyped-def]
    dept = bearer(people["dept_admin"])
    response = _create(client, dept, people, promised_limit=30)
    assert response.status_code == 422
    assert "承诺办结时限不能超过法定办结时限" in response.json()["message"]
    assert not ImplementationVersion.objects.exists()
    unknown = _create(client, dept, people, colour="red")
    assert unknown.json()["code"] == "unknown_fields"
    version_id = _create(client, dept, people).json()["id"]
    bad_rows = client.put(
        f"{BASE}/versions/{version_id}/contents",
        {"steps": [{"name": "受理", "performer": "nobody"}], "materials": [{"name": "执照", "replaced_by": "NOPE"}]},
        content_type="application/json",
        headers=dept,
    )
    assert bad_rows.status_code == 422
    assert ImplementationVersion.objects.get(pk=version_id).steps.count() == 0


def test_staff_of_another_department_see_nothing(client: Client, bearer, people, food) -> None:  # type: ignore[no-untyped-def]
    version_id = _create(client, bearer(people["dept_admin"]), people).json()["id"]
    other = bearer(people["other_dept_admin"])
    assert client.get(f"{BASE}/versions/{version_id}", headers=other).status_code == 404
    assert client.get(f"{BASE}/implementations", headers=other).json()["count"] == 0
    assert client.get(f"{BASE}/implementations").status_code == 401
