"""Budget of the public e-licence verification (issue 22, goal 2; docs/performance.md): anyone holding a
licence's identifier asks whether it is genuine. Each request names another licence, as the benchmark's
random load does, so each pays for its own SM2 verification (answers are remembered per content)."""

from __future__ import annotations

from itertools import count

import pytest
from django.test import Client

from tests.budget import assert_within, measure
from yiwang.catalogue.models import LicenceType
from yiwang.core import crypto
from yiwang.core.identifiers import resident_id_with_check
from yiwang.licences import services


@pytest.mark.budget
def test_a_licence_is_verified_through_the_public_api(demo_catalogue, production_tasks) -> None:  # type: ignore[no-untyped-def]
    """3 statements: the licence with its type, issuer, key and successor; its history; the audit record."""
    kind = LicenceType.objects.get(code="99001")
    assert kind.issuing_department is not None
    identifiers = []
    for n in range(40):
        code = resident_id_with_check(f"11010519491231{n:03d}")
        licence = services.licence_issue(
            actor=None, licence_type=kind, issuer=kind.issuing_department, holder_name=f"市民{n}", holder_code=code,
            number=code, data={"性别": "男", "民族": "汉", "出生日期": "1949-12-31", "住址": "示范市城东区"},
        )  # fmt: skip
        identifiers.append(licence.identifier)
    client = Client()
    turn = count()

    def verify() -> None:
        response = client.get("/api/v1/licences/verify", {"identifier": identifiers[next(turn)]})
        assert response.status_code == 200 and response.json()["authentic"] is True, response.content

    # The budget is Tongsuo's (C): where its wheel is missing, gmssl's pure Python verifies in ~10-20 ms.
    cpu_budget_ms = 8 if crypto.SM2_BACKEND == "tongsuo" else 40
    measured = measure("licences: verify a licence (public API, another each time)", verify,
                       cpu_budget_ms=cpu_budget_ms, sql_budget=3, rounds=7, per_round=3)  # fmt: skip
    assert measured.sql == 3
    assert_within(measured)
