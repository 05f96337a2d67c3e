"""The reads other contexts make of cases (the online hall's "my cases", ratings, instant approval)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.cases import selectors
from yiwang.cases.models import Case, CaseStatus, MaterialState
from yiwang.cases.tests.test_back_office import _accepted

pytestmark = pytest.mark.django_db


def test_an_accounts_cases_as_applicant_or_agent_split_by_whether_the_result_is_awaited(people) -> None:  # type: ignore[no-untyped-def]
    mine, as_agent, done, other = (_accepted(people) for _ in range(4))
    citizen = people["citizen"]
    Case.objects.filter(pk__in=[mine.pk, done.pk]).update(applicant_account=citizen)
    Case.objects.filter(pk=as_agent.pk).update(agent_account=citizen)
    Case.objects.filter(pk=done.pk).update(status=CaseStatus.DELIVERED)
    Case.objects.filter(pk=other.pk).update(applicant_account=people["head"])

    assert {c.pk for c in selectors.cases_of_account(user=citizen)} == {mine.pk, as_agent.pk}
    assert [c.pk for c in selectors.cases_of_account(user=citizen, done=True)] == [done.pk]
    assert selectors.case_of_account(user=citizen, number=as_agent.number) == as_agent
    assert selectors.case_of_account(user=citizen, number=other.number) is None


def test_a_case_by_number_and_applicant_name_and_the_materials_to_send_again(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    assert selectors.case_by_applicant(number=case.number, applicant_name=case.applicant_name) == case
    assert selectors.case_by_applicant(number=case.number, applicant_name="别人") is None

    case.materials.update(state=MaterialState.RECEIVED)
    first = case.materials.select_related("requirement").first()
    assert first is not None
    first.state, first.note = MaterialState.DEFECTIVE, "模糊"
    first.save()
    assert selectors.case_materials_to_fix(case=case) == [(first.requirement_id, first.requirement.name, "模糊")]


def test_concluded_cases_in_a_window_and_of_an_applicant_leave_out_the_excluded(people) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    old, recent, excluded, open_case = (_accepted(people) for _ in range(4))
    Case.objects.filter(pk=old.pk).update(concluded_at=now - timedelta(days=40))
    Case.objects.filter(pk__in=[recent.pk, excluded.pk]).update(concluded_at=now - timedelta(days=10))
    Case.objects.exclude(pk=open_case.pk).update(applicant_account=people["citizen"])
    leave_out = Case.objects.filter(pk=excluded.pk).values("pk")

    between = selectors.cases_concluded_between(since=now - timedelta(days=30), before=now, excluding=leave_out)
    assert [c.pk for c in between] == [recent.pk]
    latest = selectors.cases_concluded_of_applicant(user=people["citizen"], excluding=leave_out, limit=1)
    assert [c.pk for c in latest] == [recent.pk]
    assert selectors.case_get(pk=open_case.pk) == open_case
    assert selectors.case_get(pk=0) is None
