"""The demo's disclosure year (issue 20, part 8): loaded through the services on the days things happened,
both report formats agree with themselves for the last full year and this one, table 三 is a real table —
several kinds of requester, most outcomes — the catalogue has items in many categories, the office has
work waiting at the demo's now, and a second load adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.accounts.models import RoleAssignment, User
from yiwang.audit.models import AuditRecord
from yiwang.calendar.workdays import add_working_days
from yiwang.demo.city import demo_departments
from yiwang.demo.disclosure import demo_disclosure_load
from yiwang.disclosure.choices import (
    AppealOutcome,
    ClockEventKind,
    FeeMethod,
    ItemKind,
    ItemStatus,
    RequestChannel,
    RequesterKind,
    RequestStatus,
)
from yiwang.disclosure.models import (
    Appeal,
    CatalogueCategory,
    ClockEvent,
    ConfidentialityReview,
    DisclosureGuide,
    DisclosureRequest,
    OfficeYear,
    ProactiveItem,
    PublicResponse,
    Reply,
    WorkMeeting,
)
from yiwang.disclosure.report import national_report, report_2016

pytestmark = pytest.mark.django_db

RESULT_ROWS = ("public", "partly", "refused", "cannot", "not_handled", "other")
TABLES = (
    CatalogueCategory, DisclosureGuide, ProactiveItem, ConfidentialityReview, DisclosureRequest, ClockEvent, Reply,
    Appeal, PublicResponse, WorkMeeting, OfficeYear, AuditRecord, User, RoleAssignment,
)  # fmt: skip


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def _table_three(body: Any, year: int) -> dict[str, list[Any]]:
    report = national_report(body, year)
    assert report.requests is not None
    return {line.code: list(line.values) for line in report.requests.lines}


def test_the_demo_disclosure_year(demo_catalogue: None, settings: Any, tmp_path: Path, client: Client) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    departments = demo_departments()
    summary = demo_disclosure_load(departments)
    body, market = departments["services"], departments["market"]
    this_year = timezone.localdate().year
    last = this_year - 1

    assert summary.items >= 60 and summary.requests >= 40 and summary.appeals >= 3
    assert summary.fed >= 39  # the demo catalogue's published guides joined the disclosure catalogue

    for office in (body, market):
        for year in (last, this_year):
            assert national_report(office, year).check() == [], (office.name, year)
            assert report_2016(office, year).check() == [], (office.name, year)

    rows = _table_three(body, last)
    kinds = [kind.value for kind in RequesterKind]
    assert sum(1 for column, kind in enumerate(kinds) if rows["new"][column]) >= 4
    assert sum(1 for code in RESULT_ROWS if rows[code][-1]) >= 6
    assert all(rows[code][-1] for code in ("carried", "next"))  # across both new years
    for year in (last, this_year):
        table = _table_three(body, year)
        for column in range(len(kinds) + 1):
            assert table["new"][column] + table["carried"][column] == table["total"][column] + table["next"][column]

    published = ProactiveItem.objects.filter(body=body, status=ItemStatus.PUBLISHED, source__isnull=True)
    assert published.values("category").distinct().count() >= 5
    assert published.filter(late=True).exists()
    assert published.filter(kind=ItemKind.NORMATIVE, repealed_on__isnull=False).exists()
    assert published.filter(kind=ItemKind.NORMATIVE).exclude(document_number="").count() >= 3
    assert ProactiveItem.objects.filter(body=body, status=ItemStatus.WITHDRAWN).exists()
    assert ProactiveItem.objects.filter(body=body, status=ItemStatus.IN_REVIEW).exists()
    for review in ConfidentialityReview.objects.select_related("item"):
        assert review.reviewer_id != review.item.drafted_by_id

    requests = DisclosureRequest.objects.filter(body=body)
    assert set(requests.values_list("channel", flat=True)) == set(RequestChannel.values)
    assert set(requests.values_list("requester_kind", flat=True)) == set(RequesterKind.values)
    assert requests.exclude(letter="").filter(channel__in=[RequestChannel.LETTER, RequestChannel.FAX]).exists()
    assert {RequestStatus.CONSULTING, RequestStatus.CORRECTION} <= set(requests.values_list("status", flat=True))
    soon = add_working_days(timezone.localdate(), 3).date
    assert requests.filter(status=RequestStatus.RECEIVED, due_on__lte=soon).exists()  # one near its due date
    assert Reply.objects.filter(request__body=body, fee_method=FeeMethod.BY_COUNT, fee__gt=0).exists()
    assert ClockEvent.objects.filter(request__body=body, kind=ClockEventKind.EXTENDED).exists()
    assert Reply.objects.filter(on_time=False).count() == 0
    outcomes = set(Appeal.objects.values_list("outcome", flat=True))
    assert AppealOutcome.PENDING in outcomes and len(outcomes) >= 2

    for year in (last, this_year):
        page = client.get(f"/disclosure/reports/{body.pk}/{year}/")
        assert page.status_code == 200
        assert client.get(f"/disclosure/reports/{body.pk}/{year}/?format=2016").status_code == 200

    before = _counts()
    again = demo_disclosure_load(demo_departments())
    assert (again.items, again.requests, again.fed) == (0, 0, 0)
    assert _counts() == before
