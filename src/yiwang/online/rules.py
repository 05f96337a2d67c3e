"""Who may apply online for what, and for whom (docs/online.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from yiwang.accounts.agents import agent_may_act
from yiwang.accounts.models import AccountKind
from yiwang.catalogue.models import ImplementationVersion, OnlineDepth, VersionStatus

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.online.models import Draft

PUBLIC_KINDS = (AccountKind.NATURAL_PERSON, AccountKind.LEGAL_PERSON)


def online_applicable(version: ImplementationVersion | None) -> bool:
    """网上收件: the implementation's current version takes applications online."""
    return (
        version is not None
        and version.status == VersionStatus.PUBLISHED
        and version.implementation.current_id == version.pk
        and OnlineDepth.RECEIPT in (version.online_depth or [])
    )


def may_act_for(user: User, principal: User, implementation: ItemImplementation | None = None) -> bool:
    """Oneself (a citizen or a company account), or a principal whose authorisation covers the item
    (by implementation code or base item code)."""
    if not user.is_authenticated or user.kind not in PUBLIC_KINDS:
        return False
    if user.pk == principal.pk:
        return True
    if implementation is None:
        return agent_may_act(agent=user, principal=principal)
    return any(
        agent_may_act(agent=user, principal=principal, item_code=code)
        for code in (implementation.code, implementation.base_item.base_code)
    )


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
