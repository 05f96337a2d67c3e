"""Cases in the admin: read-only for the centre administrator of the region, archiving through the service."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord
from yiwang.cases.models import Case, CaseStatus
from yiwang.cases.tests.test_back_office import _accepted
from yiwang.organisation.models import Region

pytestmark = pytest.mark.django_db


def test_the_centre_administrator_reads_cases_with_the_id_number_masked(client: Client, login, people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    login(people["centre_admin"])
    listing = client.get("/admin/cases/case/")
    assert listing.status_code == 200
    assert case.number in listing.content.decode()
    page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert case.applicant_id_number not in page
    assert case.applicant_id_number[:4] in page and "*" in page
    assert "材料" in page or "submitted" in page.lower()
    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/").status_code == 403
    # Nothing is edited here: posting the form changes nothing.
    client.post(f"/admin/cases/case/{case.pk}/change/", {"status": "closed"})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_closing_handed_out_cases_goes_through_the_service(client: Client, login, people) -> None:  # type: ignore[no-untyped-def]
    delivered, still_open = _accepted(people), _accepted(people)
    Case.objects.filter(pk=delivered.pk).update(status=CaseStatus.DELIVERED)
    login(people["centre_admin"])
    response = client.post(
        "/admin/cases/case/",
        {"action": "close_cases", "_selected_action": [delivered.pk, still_open.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=delivered.pk).status == CaseStatus.CLOSED
    assert Case.objects.get(pk=still_open.pk).status == CaseStatus.IN_REVIEW
    assert AuditRecord.objects.filter(action="cases.close", object_id=str(delivered.pk)).exists()
    assert [e.action for e in Case.objects.get(pk=delivered.pk).events.all()][-1] == "close"


def test_cases_stay_out_of_other_administrators_reach(client: Client, login, people, make_user) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    login(people["sysadmin"])  # 三员分立: the system administrator configures, and sees no business data
    assert client.get("/admin/cases/case/").status_code == 403
    other = Region.objects.exclude(pk=case.region.pk).exclude(path__startswith=case.region.path).first()
    if other is None:
        other = Region.objects.create(code="990999", name="别处", level="county", path="/990999/")
    login(make_user(Role.CENTRE_ADMIN, region=other))
    assert case.number not in client.get("/admin/cases/case/").content.decode()
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code in (302, 404)
    login(people["clerk"])
    assert client.get("/admin/cases/case/").status_code == 403
