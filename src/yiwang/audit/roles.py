"""The application's database role on PostgreSQL: everything it needs, and on the audit trail no more
than appending.

A table's owner can ``ALTER TABLE … DISABLE TRIGGER`` on it, so the append-only triggers only hold
against a role that does not own the audit tables. Migrations therefore run as a separate owner role
(the one ``migrate`` connects as), and the app servers and workers connect as a role granted here:
on ``audit_auditrecord`` and ``audit_auditseal`` SELECT and INSERT only, on the chain head no DELETE
or TRUNCATE — what the triggers refuse, the privileges already refuse, and the role cannot lift either.
"""

from __future__ import annotations

from django.db import connection

APPEND_ONLY_TABLES = ("audit_auditrecord", "audit_auditseal")
HEAD_TABLE = "audit_auditchainhead"


def app_role_grant(role: str) -> list[str]:
    """Grants ``role`` the application's privileges on every table of the schema (run as the owner after
    each ``migrate``: new tables need their grant). Returns the statements run."""
    quoted = connection.ops.quote_name(role)
    tables = ", ".join([*APPEND_ONLY_TABLES, HEAD_TABLE])
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"REVOKE ALL ON {tables} FROM {quoted}",
        f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY_TABLES)} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE ON {HEAD_TABLE} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
