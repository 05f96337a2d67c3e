"""What the 2016 report also counts, recorded by the body's office as it happens: responses to public
concern (回应解读), meetings and training, complaints about its disclosure work (§51), and its office's
staff and budget for a year. Entered once, counted by the report — never typed into it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import raise_problems
from yiwang.core.fields import Problem, choice_problems, date_problems, text_problems
from yiwang.disclosure.choices import MeetingKind, ResponseKind
from yiwang.disclosure.models import DisclosureComplaint, OfficeYear, PublicResponse, WorkMeeting
from yiwang.disclosure.services._common import officer_authorize, today

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department


def _day_problems(on: date | None, field: str = "on") -> list[Problem]:
    problems = date_problems(on, field, required=True)
    if on is not None and on > today():
        problems.append((field, _("Enter a day that has passed.")))
    return problems


@transaction.atomic
def response_record(
    *, actor: User, body: Department, kind: str, topic: str, on: date | None, principal_attended: bool = False
) -> PublicResponse:
    officer_authorize(actor, body)
    problems = choice_problems(kind, "kind", ResponseKind.values)
    problems += text_problems(topic, "topic", max_length=200, required=True)
    problems += _day_problems(on)
    raise_problems(problems)
    assert on is not None
    response = PublicResponse.objects.create(
        body=body, kind=kind, topic=topic.strip(), on=on, principal_attended=bool(principal_attended), recorded_by=actor
    )
    audit_record(actor=actor, action="disclosure.response_record", target=response, changes={"kind": kind})
    return response


@transaction.atomic
def meeting_record(
    *, actor: User, body: Department, kind: str, title: str, on: date | None, attendees: int
) -> WorkMeeting:
    officer_authorize(actor, body)
    problems = choice_problems(kind, "kind", MeetingKind.values)
    problems += text_problems(title, "title", max_length=200, required=True)
    problems += _day_problems(on)
    if not isinstance(attendees, int) or isinstance(attendees, bool) or not 1 <= attendees <= 100000:
        problems.append(("attendees", _("Enter a number from 1 to 100000.")))
    raise_problems(problems)
    assert on is not None
    meeting = WorkMeeting.objects.create(
        body=body, kind=kind, title=title.strip(), on=on, attendees=attendees, recorded_by=actor
    )
    audit_record(actor=actor, action="disclosure.meeting_record", target=meeting, changes={"kind": kind})
    return meeting


@transaction.atomic
def complaint_record(*, actor: User, body: Department, summary: str, received_on: date | None) -> DisclosureComplaint:
    officer_authorize(actor, body)
    problems = text_problems(summary, "summary", max_length=500, required=True, multiline=True)
    problems += _day_problems(received_on, "received_on")
    raise_problems(problems)
    assert received_on is not None
    complaint = DisclosureComplaint.objects.create(
        body=body, summary=summary.strip(), received_on=received_on, recorded_by=actor
    )
    audit_record(actor=actor, action="disclosure.complaint_record", target=complaint)
    return complaint


@transaction.atomic
def office_year_save(
    *,
    actor: User,
    body: Department,
    year: int,
    offices: int,
    reading_points: int,
    full_time_staff: int,
    part_time_staff: int,
    budget: str,
) -> OfficeYear:
    officer_authorize(actor, body)
    problems: list[Problem] = []
    if not isinstance(year, int) or not 2000 <= year <= today().year:
        problems.append(("year", _("Enter a year from 2000 to this year.")))
    counts = {
        "offices": offices,
        "reading_points": reading_points,
        "full_time_staff": full_time_staff,
        "part_time_staff": part_time_staff,
    }
    for field, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10000:
            problems.append((field, _("Enter a number from 0 to 10000.")))
    try:
        amount = Decimal(str(budget).strip() or "0")
        if (
            not amount.is_finite()
            or not Decimal(0) <= amount < Decimal(10) ** 8
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(("budget", _("Enter an amount in 10,000 yuan with at most two decimals.")))
        amount = Decimal(0)
    raise_problems(problems)
    row, _created = OfficeYear.objects.update_or_create(
        body=body, year=year, defaults={**counts, "budget": amount, "updated_by": actor}
    )
    audit_record(actor=actor, action="disclosure.office_year_save", target=row, changes={"year": year})
    return row
