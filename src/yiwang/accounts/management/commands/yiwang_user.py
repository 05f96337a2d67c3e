"""Operator command: the first accounts of a fresh deployment, without the demo data.

manage.py yiwang_user create --username secadmin --role secadmin --full-name 蒋安全
manage.py yiwang_user create --username zhang --role approver --department 11990100000000004X
manage.py yiwang_user list
manage.py yiwang_user disable --username zhang
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import staff_create, user_disable
from yiwang.core.errors import DomainError
from yiwang.core.identifiers import normalise_credit_code
from yiwang.organisation.selectors import department_by_credit_code, region_get


class Command(BaseCommand):
    help = "Create, list and disable accounts from the command line (operators)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a staff account with a one-time initial password")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, choices=[r.value for r in Role])
        create.add_argument("--full-name", default="")
        create.add_argument("--department", help="the department's unified social credit code")
        create.add_argument("--region", help="division code: the role applies to this region and below")
        sub.add_parser("list", help="list accounts with their roles")
        disable = sub.add_parser("disable", help="disable an account and revoke its API tokens")
        disable.add_argument("--username", required=True)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def _create(
        self, *, username: str, role: str, full_name: str, department: str | None, region: str | None, **options: Any
    ) -> None:
        dept = None
        if department:
            dept = department_by_credit_code(credit_code=normalise_credit_code(department))
            if dept is None:
                raise CommandError(f"No department has the credit code {department}.")
        area = None
        if region:
            area = region_get(code=region)
            if area is None:
                raise CommandError(f"No region has the division code {region}.")
        user, initial = staff_create(
            actor=None, username=username, role=Role(role), full_name=full_name, department=dept, region=area
        )
        self.stdout.write(f"created {user.username} ({Role(role).label})")
        self.stdout.write(f"initial password (shown once; it must be changed at first login): {initial}")

    def _list(self, **options: Any) -> None:
        for user in User.objects.prefetch_related("role_assignments").order_by("username"):
            roles = ", ".join(sorted(a.role for a in user.role_assignments.all())) or "-"
            state = "active" if user.is_active else "disabled"
            self.stdout.write(f"{user.username:<28} {user.kind:<15} {state:<9} {roles}")

    def _disable(self, *, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is called {username}.")
        user_disable(actor=None, user=user)
        self.stdout.write(f"disabled {username}; its API tokens are revoked")
