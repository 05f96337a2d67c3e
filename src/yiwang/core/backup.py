"""The restore drill: back up, restore into an empty database, compare every table's rows, and verify
the audit trail on the restored copy — what an operator must be able to do on the worst day, rehearsed.

PostgreSQL: the row counts and ``pg_dump`` read one exported snapshot, so they compare exactly even
while the site takes traffic; ``pg_restore`` fills a new, empty database. SQLite: the backup API copies
a consistent state, and restoring is copying that file into a new, empty one with the same API.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone


@dataclass
class DrillReport:
    engine: str
    backup_taken: datetime
    backup_bytes: int = 0
    backup_seconds: float = 0.0
    restore_seconds: float = 0.0
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (backed up, restored)
    audit_output: str = ""
    audit_ok: bool = False
    restored_to: str = ""

    @property
    def differing(self) -> list[str]:
        return [table for table, (before, after) in self.counts.items() if before != after]

    @property
    def rows(self) -> int:
        return sum(after for _, after in self.counts.values())

    @property
    def ok(self) -> bool:
        return self.audit_ok and not self.differing and bool(self.counts)


def _tables() -> list[str]:
    names = {"django_migrations"}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    return sorted(names)


def _count_all(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 — names from the models
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _audit_verify(environment: dict[str, str], backup_taken: datetime) -> tuple[bool, str]:
    """``manage.py audit_verify`` in a process of its own, pointed at the restored copy."""
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "audit_verify",
        "--anchors-until",
        backup_taken.isoformat(),
    ]
    env = {**os.environ, **environment, "YIWANG_AUDIT_ANCHOR_PATH": str(settings.YIWANG_AUDIT_ANCHOR_PATH)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)  # noqa: S603
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def restore_drill(workdir: Path, *, keep: bool = False) -> DrillReport:
    workdir.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        return _postgresql(workdir, keep=keep)
    return _sqlite(workdir)


def _sqlite(workdir: Path) -> DrillReport:
    report = DrillReport("sqlite", timezone.now())
    backup, restored = workdir / "backup.sqlite3", workdir / "restored.sqlite3"
    for stale in (backup, restored):
        stale.unlink(missing_ok=True)
    connection.ensure_connection()
    started = time.perf_counter()
    with sqlite3.connect(backup) as copy:
        connection.connection.backup(copy)
    copy.close()
    report.backup_seconds, report.backup_bytes = time.perf_counter() - started, backup.stat().st_size
    started = time.perf_counter()
    with sqlite3.connect(backup) as source, sqlite3.connect(restored) as target:
        source.backup(target)
    source.close()
    target.close()
    report.restore_seconds, report.restored_to = time.perf_counter() - started, str(restored)
    tables = _tables()
    quote = connection.ops.quote_name
    with sqlite3.connect(backup) as before, sqlite3.connect(restored) as after:
        backed_up = _count_all(before.cursor(), tables, quote)
        restored_counts = _count_all(after.cursor(), tables, quote)
    report.counts = {table: (backed_up[table], restored_counts[table]) for table in tables}
    before.close()
    after.close()
    environment = {"YIWANG_SQLITE_PATH": str(restored), "DATABASE_URL": ""}
    report.audit_ok, report.audit_output = _audit_verify(environment, report.backup_taken)
    return report


def _pg(tool: str, *arguments: str, env: dict[str, str], check: bool = True) -> None:
    """Runs a PostgreSQL client program (postgresql-client of the server's major version)."""
    path = shutil.which(tool)
    if path is None:
        raise RuntimeError(f"{tool} is not installed: install the PostgreSQL client programs")
    done = subprocess.run([path, *arguments], env=env, capture_output=True, text=True, timeout=3600)  # noqa: S603
    if check and done.returncode != 0:
        raise RuntimeError(f"{tool} failed: {done.stderr.strip()}")


def _postgresql(workdir: Path, *, keep: bool) -> DrillReport:
    import psycopg

    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    where = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        where += ["-U", str(db["USER"])]
    name = connection.settings_dict["NAME"]
    target = f"{name}_restored_{os.getpid()}"
    dump = workdir / "backup.dump"
    dump.unlink(missing_ok=True)
    tables = _tables()
    quote = connection.ops.quote_name
    # One snapshot for the counts and the dump: exported from a REPEATABLE READ transaction kept open.
    with psycopg.connect(**_conninfo(db, name)) as source:
        source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = source.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        report = DrillReport("postgresql", timezone.now())
        started = time.perf_counter()
        _pg("pg_dump", *where, "-Fc", f"--snapshot={snapshot}", "-f", str(dump), name, env=env)
        report.backup_seconds, report.backup_bytes = time.perf_counter() - started, dump.stat().st_size
        backed_up = _count_all(source.cursor(), tables, quote)
        source.execute("COMMIT")
    _pg("dropdb", *where, "--if-exists", target, env=env)
    _pg("createdb", *where, target, env=env)
    try:
        started = time.perf_counter()
        _pg("pg_restore", *where, "--no-owner", "--exit-on-error", "-d", target, str(dump), env=env)
        report.restore_seconds, report.restored_to = time.perf_counter() - started, target
        with psycopg.connect(**_conninfo(db, target)) as restored:
            after = _count_all(restored.cursor(), tables, quote)
        report.counts = {t: (backed_up[t], after[t]) for t in tables}
        url = _url(db, target)
        report.audit_ok, report.audit_output = _audit_verify({"DATABASE_URL": url}, report.backup_taken)
    finally:
        if not keep:
            _pg("dropdb", *where, "--if-exists", target, env=env, check=False)
    return report


def _conninfo(db: dict[str, Any], name: str) -> dict[str, Any]:
    info = {"dbname": name, "host": db.get("HOST") or "localhost", "port": db.get("PORT") or 5432}
    if db.get("USER"):
        info["user"] = db["USER"]
    if db.get("PASSWORD"):
        info["password"] = db["PASSWORD"]
    return info


def _url(db: dict[str, Any], name: str) -> str:
    from urllib.parse import quote

    user = quote(str(db.get("USER") or ""))
    password = f":{quote(str(db['PASSWORD']))}" if db.get("PASSWORD") else ""
    at = f"{user}{password}@" if user else ""
    return f"postgres://{at}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"
