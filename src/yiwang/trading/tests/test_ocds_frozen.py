"""What was published stays as published: each public step's OCDS release is frozen in its step's
transaction, so a later change (a deadline moved by an amendment, the award) does not rewrite it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine

from yiwang.trading import ocds, services
from yiwang.trading.models import OcdsRelease
from yiwang.trading.tests.factories import publish, register

pytestmark = pytest.mark.django_db


def test_a_moved_deadline_does_not_rewrite_the_notice_s_release(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    first_deadline = project.bid_deadline
    assert first_deadline is not None
    with time_machine.travel(first_deadline - timedelta(days=10), tick=True):
        services.document_amend(
            actor=centre["officer"], project=project, kind="amendment", title="修改一", body="工期调整为150日历天。",
            affects_bids=True,
        )  # fmt: skip
    project.refresh_from_db()
    assert project.bid_deadline is not None and project.bid_deadline > first_deadline  # TBL-R §21
    notice, amendment = ocds.releases(project)
    assert notice["tag"] == ["tender"] and amendment["tag"] == ["tenderAmendment"]
    ends = [datetime.fromisoformat(r["tender"]["tenderPeriod"]["endDate"]) for r in (notice, amendment)]
    assert ends == [first_deadline, project.bid_deadline]
    assert len(notice["tender"]["documents"]) == 1 and len(amendment["tender"]["documents"]) == 2
    assert OcdsRelease.objects.filter(project=project).count() == 2
    assert [r["id"] for r in ocds.releases(project)] == [f"{ocds.ocid(project)}-001-tender",
                                                        f"{ocds.ocid(project)}-002-tenderAmendment"]  # fmt: skip
