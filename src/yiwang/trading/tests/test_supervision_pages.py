"""The pages of complaints, securities and cards: a bidder complains from the project's page and follows
it; the supervisor accepts, suspends and decides in the workbench; the centre records a security by the
bidder's credit code; a hostile value gets a Chinese message and changes nothing; others see nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.files import pdf_bytes
from yiwang.trading.models import Alert, BidSecurity, Complaint, ComplaintStatus
from yiwang.trading.services.supervision import supervise
from yiwang.trading.tests.factories import bidder, publish, register

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_complaint_from_the_page_to_the_decision(centre: dict[str, Any], make_user: Any) -> None:
    project = publish(centre, register(centre))
    party = bidder(1)
    company = _as(party.user)
    page = company.get(f"/trading/{project.code}/").content.decode()
    assert 'data-testid="complain-link"' in page
    url = f"/trading/{project.code}/complaints/"
    form = {"subject": "other", "request": "确认招标程序违法。", "grounds": "招标代理机构擅自变更评标办法。"}
    bad = company.post(url, {**form, "known_on": "明天"})
    assert bad.status_code == 422 and "2026-01-31" in bad.content.decode()
    future = company.post(url, {**form, "known_on": str(timezone.localdate().replace(year=2099))})
    assert future.status_code == 422 and Complaint.objects.count() == 0
    evidence = SimpleUploadedFile("证据.pdf", pdf_bytes("评标办法变更的通知"), content_type="application/pdf")
    company.post(url, {**form, "known_on": str(timezone.localdate()), "evidence": evidence})
    complaint = Complaint.objects.get()
    assert complaint.evidence
    assert complaint.complainant == party.user
    assert 'data-testid="my-complaint"' in company.get(url).content.decode()
    # Another company sees none of it; the supervisor handles it in the workbench.
    assert 'data-testid="my-complaint"' not in _as(bidder(2).user).get(url).content.decode()
    supervisor = _as(centre["supervisor"])
    staff_page = f"/workbench/trading/{project.code}/supervision/"
    assert 'data-testid="complaint"' in supervisor.get(staff_page).content.decode()
    officer = _as(centre["officer"])
    officer.post(f"/workbench/trading/complaints/{complaint.pk}/accept/")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED  # the centre does not handle complaints (管办分离)
    evidence_url = f"/workbench/trading/complaints/{complaint.pk}/evidence/"
    assert supervisor.get(evidence_url).content.startswith(b"%PDF")
    assert _as(centre["officer"]).get(evidence_url).status_code == 404  # the centre may be what it is about
    supervisor.post(f"/workbench/trading/complaints/{complaint.pk}/accept/")
    supervisor.post(f"/workbench/trading/complaints/{complaint.pk}/suspend/")
    assert 'data-testid="suspended"' in supervisor.get(staff_page).content.decode()
    supervisor.post(
        f"/workbench/trading/complaints/{complaint.pk}/decide/",
        {"outcome": "dismissed", "decision": "经查，开标按时进行。"},
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DECIDED
    assert "经查，开标按时进行。" in company.get(url).content.decode()
    assert _as(make_user()).get(f"/workbench/trading/complaints/{complaint.pk}/accept/").status_code in (403, 404, 405)


def test_the_centre_records_a_security_and_reads_the_cards(centre: dict[str, Any]) -> None:
    project = publish(centre, register(centre))
    party = bidder(1)
    officer = _as(centre["officer"])
    url = f"/workbench/trading/{project.code}/securities/"
    given = {"lot": "1", "credit_code": party.user.credit_code, "form": "guarantee", "reference": "BH-1"}
    refused = officer.post(url, {**given, "amount": "1e9"}, follow=True).content.decode()
    assert "message-error" in refused and BidSecurity.objects.count() == 0
    unknown = officer.post(url, {**given, "credit_code": "91990100MA0000999X", "amount": "390000.00"}, follow=True)
    assert "统一社会信用代码" in unknown.content.decode()
    officer.post(url, {**given, "amount": "390000.00"})
    assert BidSecurity.objects.get().bidder == party.user
    page = officer.get(f"/workbench/trading/{project.code}/supervision/").content.decode()
    assert 'data-testid="securities"' in page and "BH-1" in page
    Alert.objects.create(
        project=project, rule="same_address", colour="yellow", basis="x", detail="2 个投标人共用 IP 10.8.0.7。",
        issued_at=timezone.now(),
    )  # fmt: skip
    supervise()
    listing = officer.get("/workbench/trading/").content.decode()
    assert f'data-testid="cards-{project.code}"' in listing
    assert "投标截止" in listing  # the step the project waits for, with its deadline
    assert "10.8.0.7" in officer.get(f"/workbench/trading/{project.code}/supervision/").content.decode()
