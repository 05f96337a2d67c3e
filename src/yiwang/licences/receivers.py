"""The e-licence context listening to others: a granted case whose item produces a licence gets it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from yiwang.cases.choices import Decision
from yiwang.cases.signals import case_concluded
from yiwang.licences.services import licence_issue

if TYPE_CHECKING:
    from yiwang.cases.models import Case


@receiver(case_concluded)  # sent by cases alone, with sender=Case (cases.signals)
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
        data=_licence_data(case, licence_type),
    )


def _licence_data(case: Case, licence_type: Any) -> dict[str, Any]:
    """The licence's data items, from what the case knows: the application form's field of the same
    name, and a person's date of birth from the resident ID number (GB 11643)."""
    data: dict[str, Any] = {"事项": case.version.name, "办件编号": case.number}
    by_label = {f.label: case.form_data.get(f.key) for f in case.version.form_fields.all()}
    for spec in licence_type.fields or []:
        key = str(spec.get("key", ""))
        value = by_label.get(str(spec.get("label") or key)) or case.form_data.get(key)
        if not value and spec.get("type") == "date" and key == "出生日期" and case.applicant_id_type == "resident_id":
            number = case.applicant_id_number
            value = f"{number[6:10]}-{number[10:12]}-{number[12:14]}" if len(number) == 18 else ""
        if value not in (None, ""):
            data[key] = value
    return data
