"""One entry point for "take this step on the case" — the API and the pages both call it with the
fields they received, so the two can never disagree about what a step needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases import services
from yiwang.cases.models import Case, ExtensionRequest
from yiwang.core.errors import PermissionDenied, raise_problems

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def case_action_run(*, actor: User, case: Case, action: str, data: Mapping[str, Any]) -> object:
    def text(key: str) -> str:
        return str(data.get(key) or "")

    def number(key: str) -> int:
        try:
            return int(data.get(key) or 0)
        except (TypeError, ValueError):
            raise_problems([(key, _("A whole number is expected."))])
            return 0

    calls: dict[str, Callable[[], object]] = {
        "pre_review": lambda: services.case_pre_review(actor=actor, case=case, opinion=text("opinion")),
        "on_the_spot": lambda: services.case_handle_on_the_spot(
            actor=actor, case=case, decision=text("decision") or "approve", opinion=text("opinion"),
            result_number=text("result_number"),
        ),
        "terminate": lambda: services.case_terminate(actor=actor, case=case, reason=text("reason")),
        "close": lambda: services.case_close(actor=actor, case=case),
        "accept": lambda: services.case_accept(actor=actor, case=case, opinion=text("opinion")),
        "refuse": lambda: services.case_refuse(
            actor=actor, case=case, reason=text("reason"), basis=text("basis"),
            competent_authority=text("competent_authority"),
        ),
        "request_correction": lambda: services.case_request_correction(
            actor=actor,
            case=case,
            items=[
                services.CorrectionItem(
                    int(item.get("requirement_id") or 0), str(item.get("problem") or ""), bool(item.get("defective"))
                )
                for item in data.get("items") or []
            ],
        ),
        "accept_pending": lambda: services.case_accept_pending(
            actor=actor, case=case, requirement_ids=[int(pk) for pk in data.get("requirement_ids") or []],
            until=_date(data.get("until")), opinion=text("opinion"),
        ),
        "task_complete": lambda: services.case_task_complete(actor=actor, case=case, opinion=text("opinion")),
        "suspend": lambda: services.case_suspend(
            actor=actor, case=case, procedure=text("procedure"), reason=text("reason"),
            expected_days=number("expected_days"),
        ),
        "resume": lambda: services.case_resume(actor=actor, case=case, result=text("result")),
        "extend": lambda: services.case_extension_request(
            actor=actor, case=case, days=number("days"), reason=text("reason")
        ),
        "extension_decide": lambda: _extension_decide(actor, case, data.get("approve"), text("opinion")),
        "decide": lambda: services.case_decide(
            actor=actor, case=case, decision=text("decision"), opinion=text("opinion"), basis=text("basis")
        ),
        "conclude": lambda: services.case_conclude(actor=actor, case=case, result_number=text("result_number")),
        "hand_out": lambda: services.case_hand_out(
            actor=actor, case=case, method=text("method"), recipient=text("recipient"), address=text("address"),
            carrier=text("carrier"), waybill=text("waybill"),
        ),
        "withdraw": lambda: services.case_withdraw(actor=actor, case=case, reason=text("reason")),
    }  # fmt: skip
    if action not in calls:
        raise PermissionDenied()
    return calls[action]()


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else timezone.localdate()
    except ValueError:
        raise_problems([("until", _("A date like 2026-01-31 is expected."))])
        return timezone.localdate()


def _extension_decide(actor: User, case: Case, approve: object, note: str) -> object:
    pending = ExtensionRequest.objects.filter(case=case, approved__isnull=True).first()
    if pending is None or approve is None:
        raise_problems([("approve", _("There is no extension request to decide, or no answer was given."))])
    assert pending is not None
    answer = approve if isinstance(approve, bool) else str(approve).lower() in ("1", "true", "yes")
    return services.case_extension_decide(actor=actor, request=pending, approve=answer, note=note)
