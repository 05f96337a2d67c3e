"""Operator command for API keys of other systems.

manage.py yiwang_apikey scopes
manage.py yiwang_apikey issue --name 市大数据中心 --scope sharing:query --days 365
manage.py yiwang_apikey list
manage.py yiwang_apikey revoke --prefix ywk_AbCdEfGh
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.accounts.api_keys import api_key_issue, api_key_revoke, api_scopes
from yiwang.accounts.models import ApiKey
from yiwang.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue, list and revoke API keys of other systems."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("scopes", help="the scopes keys can carry")
        issue = sub.add_parser("issue")
        issue.add_argument("--name", required=True)
        issue.add_argument("--scope", action="append", default=[], dest="scopes")
        issue.add_argument("--days", type=int, default=365)
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("--prefix", required=True)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def _scopes(self, **options: Any) -> None:
        for scope, label in sorted(api_scopes().items()):
            self.stdout.write(f"{scope:<24} {label}")

    def _issue(self, *, name: str, scopes: list[str], days: int, **options: Any) -> None:
        raw, key = api_key_issue(actor=None, name=name, scopes=scopes, days=days)
        self.stdout.write(
            f"issued {key.prefix}… for {key.name}, scopes {', '.join(key.scopes)}, until {key.expires_at:%Y-%m-%d}"
        )
        self.stdout.write(f"key (shown once, give it to the system's operator over a safe channel): {raw}")

    def _list(self, **options: Any) -> None:
        for key in ApiKey.objects.order_by("name"):
            state = "revoked" if key.revoked_at else f"until {key.expires_at:%Y-%m-%d}"
            self.stdout.write(f"{key.prefix:<14} {key.name:<24} {state:<18} {', '.join(key.scopes)}")

    def _revoke(self, *, prefix: str, **options: Any) -> None:
        keys = list(ApiKey.objects.filter(prefix=prefix.rstrip("…")))
        if len(keys) != 1:
            raise CommandError(f"{len(keys)} keys have the prefix {prefix}; give the full prefix from `list`.")
        api_key_revoke(actor=None, key=keys[0])
        self.stdout.write(f"revoked {keys[0].prefix}… of {keys[0].name}")
