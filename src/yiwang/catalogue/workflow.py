"""The lifecycle of an implementation version, as one table a reviewer can read (docs/catalogue.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.catalogue.models import VersionStatus as S
from yiwang.core.errors import Conflict
from yiwang.core.workflow import Transition, Workflow


def _refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("This step is not possible for a version that is %(status)s.") % {"status": S(status).label},
        code="transition_not_allowed",
    )


# Every step of a version: from which statuses, to which, by whom. Department administrators draft and
# submit; centre administrators review and publish. Anything not listed is refused with 409
# transition_not_allowed. ``supersede`` is no one's step: publishing a newer version takes it.
WORKFLOW = Workflow(
    S.values,
    [
        Transition("submit", {S.DRAFT}, S.REVIEW, roles={Role.DEPT_ADMIN}),
        Transition("return", {S.REVIEW}, S.DRAFT, roles={Role.CENTRE_ADMIN}),
        Transition("publish", {S.REVIEW}, S.PUBLISHED, roles={Role.CENTRE_ADMIN}),
        Transition("suspend", {S.PUBLISHED}, S.SUSPENDED, roles={Role.CENTRE_ADMIN}),
        Transition("resume", {S.SUSPENDED}, S.PUBLISHED, roles={Role.CENTRE_ADMIN}),
        Transition("cancel", {S.PUBLISHED, S.SUSPENDED}, S.CANCELLED, roles={Role.CENTRE_ADMIN}),
        Transition("supersede", {S.PUBLISHED}, S.SUPERSEDED),
    ],
    refusal=_refusal,
)
