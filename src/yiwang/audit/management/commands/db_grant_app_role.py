from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from yiwang.audit.roles import app_role_grant


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant the application's role its privileges, append-only on the audit trail. "
        "Run as the owner (migration) role after every migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the app servers and workers connect as")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; the embedded SQLite database has none.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
            current, superuser = cursor.fetchone()
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
        if not exists:
            raise CommandError(f"There is no role {role!r}: CREATE ROLE {role} LOGIN PASSWORD '…' first.")
        if role == current:
            raise CommandError("The application's role must not be the role that owns the tables (this one).")
        with transaction.atomic():
            for statement in app_role_grant(role):
                self.stdout.write(statement + ";")
        if superuser:
            self.stdout.write(self.style.WARNING("Ran as a superuser: run migrations as a non-superuser owner role."))
        self.stdout.write(self.style.SUCCESS(f"{role}: append-only on the audit trail."))
