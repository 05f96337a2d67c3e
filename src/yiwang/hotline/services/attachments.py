"""Files of a ticket: the caller's, the agent's and the handling unit's."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, PermissionDenied, raise_problems
from yiwang.hotline.models import Ticket, TicketChannel, TicketStatus
from yiwang.hotline.services._common import INTAKE_ROLES, SUPERVISE_ROLES, UNIT_ROLES, _event, ticket_locked

if TYPE_CHECKING:
    from yiwang.accounts.models import User

MAX_ATTACHMENTS = 9
CHANNEL_ATTACH_HOURS = 24


@transaction.atomic
def ticket_attach(*, actor: User | None, ticket: Ticket, uploads: list[Any], api_key: Any = None) -> list[Any]:
    """Photos or documents of a ticket: the caller's (by the channel that submitted it — ``api_key``, its
    system — within a day of submission), the agent's (a scanned letter) or the handling unit's evidence
    of what it did. Every file is checked before any is stored; at most nine per ticket."""
    from yiwang.core.uploads import upload_checked, upload_problem
    from yiwang.hotline.models import TicketAttachment

    problems = [("file", problem) for upload in uploads if (problem := upload_problem(upload))]
    if not uploads:
        problems.append(("file", _("Choose a file to attach.")))
    raise_problems(problems)
    ticket = ticket_locked(ticket)
    if actor is None:
        too_late = timezone.now() - ticket.created_at > timedelta(hours=CHANNEL_ATTACH_HOURS)
        its_own = api_key is not None and ticket.api_key_id == api_key.pk
        if not its_own or ticket.channel == TicketChannel.PHONE or too_late:
            raise PermissionDenied(
                _("A channel may attach files only to its own tickets within a day of submitting them."),
                code="out_of_scope",
            )
    elif not user_has_role(user=actor, roles=INTAKE_ROLES | UNIT_ROLES | SUPERVISE_ROLES):
        raise PermissionDenied()
    if ticket.status == TicketStatus.MERGED:
        raise Conflict(_("Attach files to the ticket this one was merged into."), code="merged")
    if ticket.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise Conflict(
            _("A ticket can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}, code="too_many_attachments"
        )
    made = []
    for upload in uploads:
        checked = upload_checked(upload)
        attachment = TicketAttachment.objects.create(
            ticket=ticket, file=upload, name=checked.name, size=checked.size,
            content_type=checked.content_type, digest=checked.digest, uploaded_by=actor,
        )  # fmt: skip
        made.append(attachment)
    _event(ticket, actor, "attach", ticket.status, "、".join(a.name for a in made))
    audit_record(actor=actor, action="hotline.attach", target=ticket, changes={"attachments": [None, len(made)]})
    return made
