"""Who may apply online for what, and for whom (docs/online.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from yiwang.accounts.agents import PUBLIC_KINDS
from yiwang.accounts.agents import may_act_for as agents_may_act_for
from yiwang.catalogue.choices import OnlineDepth, VersionStatus

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import ImplementationVersion, ItemImplementation
    from yiwang.online.models import Draft

__all__ = ["PUBLIC_KINDS", "draft_problems", "may_act_for", "online_applicable"]


def online_applicable(version: ImplementationVersion | None) -> bool:
    """网上收件: the implementation's current version takes applications online."""
    return (
        version is not None
        and version.status == VersionStatus.PUBLISHED
        and version.implementation.current_id == version.pk
        and OnlineDepth.RECEIPT in (version.online_depth or [])
    )


def may_act_for(user: User, principal: User, implementation: ItemImplementation | None = None) -> bool:
    """Oneself, or a principal whose authorisation covers the item (by implementation or base item code)."""
    codes = (implementation.code, implementation.base_item.base_code) if implementation is not None else ()
    return agents_may_act_for(user, principal, codes)


def draft_problems(draft: Draft) -> list[tuple[str, str]]:
    """Every reason the draft could not be submitted yet, with the window's own rules."""
    from yiwang.cases.services import application_problems
    from yiwang.online.services import draft_applicant, draft_exemptions

    problems = application_problems(draft.version, draft_applicant(draft), draft.form_data)
    uploaded = set(draft.files.values_list("requirement_id", flat=True))
    exempt = draft_exemptions(draft)
    problems += [
        (f"materials.{m.pk}", _("%(name)s is required.") % {"name": m.name})
        for m in draft.version.materials.all()
        if m.pk not in exempt and m.necessity == "required" and m.pk not in uploaded
    ]
    return problems
