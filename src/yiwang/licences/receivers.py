"""The e-licence context listening to others: a granted case whose item produces a licence gets it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from yiwang.cases.models import Case, Decision
from yiwang.cases.signals import case_concluded
from yiwang.licences.services import licence_issue


@receiver(case_concluded, sender=Case)
def _issue_on_conclusion(sender: Any, case: Case, actor: Any = None, **kwargs: Any) -> None:
    version = case.version
    if case.decision != Decision.APPROVE or version.result_licence_type_id is None:
        return
    licence_type = version.result_licence_type
    assert licence_type is not None
    licence_issue(
        actor=actor,
        licence_type=licence_type,
        issuer=case.department,
        holder_name=case.applicant_name,
        holder_code=case.applicant_id_number,
        number=case.result_number or case.number,
        holder_account=case.applicant_account,
        case=case,
        data={"事项": version.name, "办件编号": case.number},
    )
