"""The lifecycle of an implementation version, as one table a reviewer can read (docs/catalogue.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.accounts.roles import Role
from yiwang.catalogue.models import VersionStatus as S
from yiwang.core.errors import Conflict

# (status, action) -> new status. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "submit"): S.REVIEW,
    (S.REVIEW, "return"): S.DRAFT,
    (S.REVIEW, "publish"): S.PUBLISHED,
    (S.PUBLISHED, "suspend"): S.SUSPENDED,
    (S.SUSPENDED, "resume"): S.PUBLISHED,
    (S.PUBLISHED, "cancel"): S.CANCELLED,
    (S.SUSPENDED, "cancel"): S.CANCELLED,
    (S.PUBLISHED, "supersede"): S.SUPERSEDED,  # when a newer version is published
}

# Department administrators draft and submit; centre administrators review and publish.
ACTION_ROLES: dict[str, frozenset[Role]] = {
    "submit": frozenset({Role.DEPT_ADMIN}),
    "return": frozenset({Role.CENTRE_ADMIN}),
    "publish": frozenset({Role.CENTRE_ADMIN}),
    "suspend": frozenset({Role.CENTRE_ADMIN}),
    "resume": frozenset({Role.CENTRE_ADMIN}),
    "cancel": frozenset({Role.CENTRE_ADMIN}),
}


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            _("This step is not possible for a version that is %(status)s.") % {"status": S(status).label},
            code="transition_not_allowed",
        ) from None
