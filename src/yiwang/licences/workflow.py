"""The life of an e-licence after it is issued, as one table (core.workflow; docs/licences.md): revoked,
annulled, replaced by a new version, or expired overnight. ``licences.services`` asks it before every
change and refuses anything else with 409 ``licence_status``; a test walks every row.

Issuing is no step of the table: a licence — a re-issued version too — is born valid."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.errors import Conflict
from yiwang.core.workflow import Transition, Workflow
from yiwang.licences.models import LicenceStatus as S


def _refusal(status: str, action: str, /, **context: object) -> Conflict:
    return Conflict(
        _("A licence that is %(status)s cannot be changed this way.") % {"status": S(status).label},
        code="licence_status",
    )


WORKFLOW: Workflow[str] = Workflow(
    S.values,
    [
        # 吊销/撤销: the authority withdraws a valid licence.
        Transition("revoke", {S.VALID}, S.REVOKED),
        # 注销/作废: the licence ends — issued in error, given up, the company closed.
        Transition("annul", {S.VALID, S.EXPIRED}, S.ANNULLED),
        # 换发/变更: this version is annulled and points to the new one.
        Transition("reissue", {S.VALID, S.EXPIRED}, S.ANNULLED),
        # Nightly, past the last day of validity (a sweep: it passes over every other licence).
        Transition("expire", {S.VALID}, S.EXPIRED),
    ],
    refusal=_refusal,
)
