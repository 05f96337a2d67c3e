"""邀请招标: the invited companies of an invited tender, named by the tenderer's side through the centre
(招标投标法 §17: at least three legal persons able to perform) or, in government procurement, drawn at
random from the qualified suppliers (政府采购法 §34) — a draw anyone can recompute from the pool's
digest and the seed in the project's journal. The negotiating methods and the request for quotation invite
three or more too (政府采购法 §38(3), §40(2)), named or drawn (财政部令第74号 §12). Only the invited bid
(``bidding.bid_submit``)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, raise_problems
from yiwang.trading import rules
from yiwang.trading.models import Invitation, ProjectKind, ProjectStatus, TradingMethod, TradingProject
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services._common import event_record, operator_authorize, project_locked

if TYPE_CHECKING:
    from yiwang.accounts.models import User

MAX_POOL = 500


def pool_digest(codes: list[str]) -> str:
    """The SM3 of the pool's credit codes, sorted and joined: fixed before the seed is drawn."""
    return sm3_hex("\n".join(sorted(codes)).encode())


def invitation_ranking(codes: list[str], seed: str) -> list[str]:
    """The pool in the draw's order: by SM3(seed ‖ credit code) — recomputable by anyone with both."""
    return sorted(codes, key=lambda code: sm3_hex(f"{seed}{code}".encode()))


@transaction.atomic
def invitations_make(
    *, actor: User, project: TradingProject, companies: list[User], count: int | None = None
) -> list[Invitation]:
    """Invites ``companies`` (a named tender) or, with ``count``, the first ``count`` of them in a random
    draw (a procurement must draw: 政府采购法 §34). At least three either way, before the notice."""
    operator_authorize(actor, project)
    project = project_locked(project)
    procedure = procedure_of(project.method)
    if not procedure.invited_min or project.method == TradingMethod.SINGLE_SOURCE:
        raise Conflict(
            _("Only an invited tender, a negotiation, a consultation or a request for quotation invites."),
            code="not_invited_tender",
        )
    if project.status != ProjectStatus.DRAFT:
        raise Conflict(_("The invitations are made before the notice."), code="project_status")
    pool = list({c.pk: c for c in companies[:MAX_POOL]}.values())
    problems = []
    if any(c.kind != AccountKind.LEGAL_PERSON or not c.credit_code for c in pool):
        problems.append(("companies", _("Only registered companies can be invited.")))
    procurement = project.kind == ProjectKind.PROCUREMENT
    if procurement and procedure.tender and count is None:
        problems.append(("count", _("A procurement draws the invited suppliers at random (政府采购法 §34).")))
    wanted = len(pool) if count is None else count
    if wanted < rules.INVITED_MIN_SUPPLIERS:
        problems.append(("count", _("Invite at least three (招标投标法 §17; 政府采购法 §34).")))
    elif wanted > len(pool):
        problems.append(("count", _("The pool has fewer companies than are to be drawn.")))
    raise_problems(problems)
    if Invitation.objects.filter(project=project).exists():
        raise Conflict(_("The invitations of this tender are made."), code="invitations_made")
    by_code = {str(c.credit_code): c for c in pool}
    note = ""
    if count is None:
        chosen = list(by_code)
    else:
        seed = secrets.token_hex(32)
        digest = pool_digest(list(by_code))
        chosen = invitation_ranking(list(by_code), seed)[:count]
        # The journal fixes the pool and commits to the seed; the seed itself goes to the audit trail the
        # supervisor reads (published, it would tell who may bid before the deadline: 招标投标法 §22).
        note = f"pool={digest} seed_sm3={sm3_hex(seed.encode())}"
    invitations = Invitation.objects.bulk_create(
        Invitation(project=project, company=by_code[code], rank=n, drawn=count is not None)
        for n, code in enumerate(chosen, start=1)
    )
    event_record(project, "invite", actor=actor, before=project.status, note=note)
    audit_record(
        actor=actor, action="trading.invitations_make", target=project,
        changes={"invited": chosen, "pool": sorted(by_code), "drawn": count is not None, "seed": note and seed},
    )  # fmt: skip
    return invitations
