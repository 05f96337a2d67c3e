"""Authentication against the user table, permissions from the account's roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yiwang.accounts.roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    """Permissions come from the account's roles alone (``ROLE_PERMISSIONS``): the platform grants no
    per-user or group permission rows, so nothing opens the admin or a screen beside the roles."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached: set[str] | None = getattr(user_obj, "_yiwang_role_perms", None)
        if cached is None:
            from yiwang.accounts.selectors import user_roles

            cached = set()  # roles are the only source: no per-user or group permission rows (三员分立)
            for role in user_roles(user=user_obj):
                cached |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._yiwang_role_perms = cached
        return cached


class IdentityBackend(RoleBackend):
    """One account, many ways in ("一号"): username, mobile phone, resident ID number or credit code."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        from yiwang.accounts.selectors import user_by_login

        if not username or password is None:
            return None
        user = user_by_login(login=username)
        if user is None:
            # Same work as a real check, so timing does not tell which logins exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
