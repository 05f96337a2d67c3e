"""单一来源 (政府采购法 §31, §39): the one supplier named and published before the procedure (政府采购法
实施条例 §38: at least five working days, with the supplier's name), objections to it answered, and only
then the notice to that supplier. Its price is agreed in negotiation and sealed as a final quote
(``services.negotiation``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, raise_problems
from yiwang.core.fields import Problem, choice_problems, text_problems
from yiwang.trading import rules
from yiwang.trading.models import (
    Invitation,
    Objection,
    ObjectionSubject,
    ProjectStatus,
    SingleSourceGround,
    SingleSourcePublicity,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.services._common import event_record, operator_authorize, project_locked

if TYPE_CHECKING:
    from yiwang.accounts.models import User


@transaction.atomic
def single_source_publish(
    *, actor: User, project: TradingProject, supplier: User, ground: str, reason: str
) -> SingleSourcePublicity:
    """Names the one supplier and why; for "only one supplier can supply" the publicity of five working
    days starts (实施条例 §38) — the platform publishes that ground always, whatever the amount, the
    cautious reading. The supplier is the procedure's one invitation."""
    operator_authorize(actor, project)
    project = project_locked(project)
    if project.method != TradingMethod.SINGLE_SOURCE:
        raise Conflict(_("Only a single-source procurement names its one supplier."), code="not_single_source")
    if project.status != ProjectStatus.DRAFT:
        raise Conflict(_("The supplier is named before the notice."), code="project_status")
    problems = choice_problems(ground, "ground", SingleSourceGround.values)
    problems += text_problems(reason, "reason", max_length=5000, required=True, multiline=True)
    if supplier.kind != AccountKind.LEGAL_PERSON or not supplier.credit_code:
        problems.append(("supplier", _("Choose a registered company account.")))
    raise_problems(problems)
    if SingleSourcePublicity.objects.filter(project=project).exists():
        raise Conflict(_("The supplier of this procurement is named."), code="single_source_named")
    now = timezone.now()
    publicity = SingleSourcePublicity.objects.create(
        project=project,
        supplier=supplier,
        ground=ground,
        reason=reason.strip(),
        published_at=now,
        ends_at=rules.single_source_publicity_ends(now) if ground == SingleSourceGround.SOLE_SUPPLIER else now,
        published_by=actor,
    )
    Invitation.objects.create(project=project, company=supplier, rank=1, drawn=False, invited_at=now)
    event_record(project, "single_source", actor=actor, before=project.status, note=supplier.get_full_name())
    audit_record(
        actor=actor,
        action="trading.single_source_publish",
        target=project,
        changes={"supplier": supplier.credit_code, "ground": ground, "ends_at": publicity.ends_at.isoformat()},
    )
    return publicity


def single_source_objection(actor: User, project: TradingProject, text: str) -> Objection:
    """An objection to the publicity, raised while it runs (财政部令第74号 §39); the purchaser answers it
    within five working days of the publicity's end (§40), and the notice waits for the answer."""
    publicity = SingleSourcePublicity.objects.filter(project=project).first()
    now = timezone.now()
    if project.status != ProjectStatus.DRAFT or publicity is None or now > publicity.ends_at:
        raise Conflict(
            _("Objections to a single source are raised during its publicity (政府采购法实施条例 §38)."),
            code="objection_late",
        )
    due = rules.working_day_due(timezone.localdate(publicity.ends_at), rules.SINGLE_SOURCE_ANSWER_WORKING_DAYS)
    objection = Objection.objects.create(
        project=project,
        subject=ObjectionSubject.SINGLE_SOURCE,
        raised_by=actor,
        text=text.strip(),
        raised_at=now,
        answer_due=rules.end_of_day(due),
    )
    event_record(project, "objection", actor=None, before=project.status)
    audit_record(actor=actor, action="trading.objection_raise", target=objection)
    return objection


def single_source_problems(project: TradingProject) -> list[Problem]:
    """What keeps a single-source notice back: no supplier named, the publicity still running, or an
    objection to it unanswered."""
    publicity = SingleSourcePublicity.objects.filter(project=project).first()
    if publicity is None:
        return [("invitations", _("Name the one supplier and publish it first (政府采购法实施条例 §38)."))]
    if timezone.now() < publicity.ends_at:
        return [
            (
                "invitations",
                _("The single-source publicity runs until %(end)s (政府采购法实施条例 §38).")
                % {"end": f"{timezone.localtime(publicity.ends_at):%Y-%m-%d %H:%M}"},
            )
        ]
    open_objections = Objection.objects.filter(
        project=project, subject=ObjectionSubject.SINGLE_SOURCE, answered_at__isnull=True
    )
    if open_objections.exists():
        return [("invitations", _("An objection to the single source awaits its answer (财政部令第74号 §40)."))]
    return []
