"""What the applicant (or their agent) may do on their own case from their account (issue 6 relies on it)."""

from __future__ import annotations

import pytest

from yiwang.cases import services
from yiwang.cases.models import Case, CaseStatus
from yiwang.cases.tests.test_back_office import _accepted
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_applicant_chooses_express_delivery_and_the_window_sees_it(people, client) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    Case.objects.filter(pk=case.pk).update(applicant_account=people["citizen"])
    case.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.case_delivery_choose(actor=people["citizen"], case=case, method="express", address="")
    services.case_delivery_choose(
        actor=people["citizen"], case=case, method="express", address="王经理 13800138000 示范市市民大道 1 号"
    )
    case.refresh_from_db()
    assert (case.delivery_choice, case.delivery_address) == ("express", "王经理 13800138000 示范市市民大道 1 号")
    assert case.events.last().action == "delivery_choose"
    client.force_login(people["clerk"])
    page = client.get(f"/workbench/cases/{case.number}/").content.decode()
    assert 'data-delivery-choice="express"' in page
    with pytest.raises(PermissionDenied):  # a stranger cannot choose for someone else
        services.case_delivery_choose(actor=people["police_approver"], case=case, method="pickup")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DELIVERED)
    with pytest.raises(Conflict):
        services.case_delivery_choose(actor=people["citizen"], case=case, method="pickup")


def test_an_agent_withdraws_for_the_applicant_and_messages_link_to_the_case(people) -> None:  # type: ignore[no-untyped-def]
    case = _accepted(people)
    Case.objects.filter(pk=case.pk).update(applicant_account=people["head"], agent_account=people["citizen"])
    services.case_withdraw(actor=people["citizen"], case=case, reason="不再需要")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    message = Notification.objects.filter(recipient=people["head"]).latest("created_at")
    assert message.link == f"/my/cases/{case.number}/"
