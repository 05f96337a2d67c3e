"""Agents (代理人): a citizen or company authorises another person to act for them.

The authorisation names the service items it covers (or all of them) and ends on a date; the
principal can revoke it at any time. Services that accept an application from an agent ask
``agent_may_act``; every grant and revocation is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import AccountKind, AgentAuthorisation, User
from yiwang.accounts.selectors import user_by_login
from yiwang.audit.services import audit_record
from yiwang.core.errors import NotFound, PermissionDenied, ValidationFailed

MAX_YEARS = 5
ITEM_CODE_MAX = 64


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={"errors": [{"field": field, "message": message}]})


@transaction.atomic
def agent_authorise(
    *, principal: User, agent_login: str, items: list[str], valid_until: date, note: str = ""
) -> AgentAuthorisation:
    if principal.kind not in (AccountKind.NATURAL_PERSON, AccountKind.LEGAL_PERSON):
        raise PermissionDenied(_("Only citizens and companies authorise agents."))
    agent = user_by_login(login=agent_login)
    if agent is None or agent.kind != AccountKind.NATURAL_PERSON or not agent.is_active:
        raise _fail("agent", _("No registered person has this ID number or mobile number."))
    if agent.pk == principal.pk:
        raise _fail("agent", _("You cannot authorise yourself."))
    today = timezone.localdate()
    if valid_until < today:
        raise _fail("valid_until", _("The end date has already passed."))
    if valid_until > today + timedelta(days=365 * MAX_YEARS):
        raise _fail("valid_until", _("An authorisation lasts at most %(n)d years.") % {"n": MAX_YEARS})
    cleaned = sorted({code.strip() for code in items if code.strip()}) or [AgentAuthorisation.ALL_ITEMS]
    if any(len(code) > ITEM_CODE_MAX for code in cleaned):
        raise _fail("items", _("At most %(n)s characters.") % {"n": ITEM_CODE_MAX})
    authorisation = AgentAuthorisation.objects.create(
        principal=principal, agent=agent, items=cleaned, valid_until=valid_until, note=note.strip()[:200]
    )
    audit_record(
        actor=principal,
        action="accounts.agent_authorise",
        target=authorisation,
        changes={
            "agent": [None, agent.get_username()],
            "items": [None, cleaned],
            "valid_until": [None, str(valid_until)],
        },
    )
    from yiwang.notifications.services import notify  # notifications sit above accounts

    notify(
        recipient=agent,
        template="account.agent_authorised",
        link="/accounts/agents/",
        context={"principal": principal.get_full_name(), "until": valid_until.isoformat()},
    )
    return authorisation


@transaction.atomic
def agent_revoke(*, principal: User, authorisation_id: int) -> AgentAuthorisation:
    authorisation = (
        AgentAuthorisation.objects.select_for_update().filter(pk=authorisation_id, principal=principal).first()
    )
    if authorisation is None:
        raise NotFound()
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])
        audit_record(
            actor=principal, action="accounts.agent_revoke", target=authorisation, changes={"revoked": [False, True]}
        )
    return authorisation


def _current(on: date | None = None) -> QuerySet[AgentAuthorisation]:
    day = on or timezone.localdate()
    return AgentAuthorisation.objects.filter(revoked_at__isnull=True, valid_from__lte=day, valid_until__gte=day)


def agent_may_act(*, agent: User, principal: User, item_code: str | None = None, on: date | None = None) -> bool:
    """Whether ``agent`` may act for ``principal`` (for ``item_code``, when given) on that day."""
    for items in _current(on).filter(agent=agent, principal=principal).values_list("items", flat=True):
        if AgentAuthorisation.ALL_ITEMS in items or item_code is None or item_code in items:
            return True
    return False


PUBLIC_KINDS = (AccountKind.NATURAL_PERSON, AccountKind.LEGAL_PERSON)


def may_act_for(user: User, principal: User, item_codes: tuple[str, ...] = ()) -> bool:
    """Oneself (a citizen or a company account), or a principal whose current authorisation covers one
    of ``item_codes`` (any item when none is given). Staff act through their roles, never as applicants."""
    if not user.is_authenticated or user.kind not in PUBLIC_KINDS or not user.is_active:
        return False
    if user.pk == principal.pk:
        return True
    if not principal.is_active:
        return False
    if not item_codes:
        return agent_may_act(agent=user, principal=principal)
    return any(agent_may_act(agent=user, principal=principal, item_code=code) for code in item_codes)


def authorisations_given(*, principal: User) -> QuerySet[AgentAuthorisation]:
    return AgentAuthorisation.objects.filter(principal=principal).select_related("agent").order_by("-created_at")


def principals_of(*, agent: User) -> QuerySet[AgentAuthorisation]:
    return _current().filter(agent=agent).select_related("principal").order_by("principal__full_name")
