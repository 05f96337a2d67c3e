"""Records get a uid their digest covers; the chain head remembers where uid-less records end; on
PostgreSQL TRUNCATE is refused like UPDATE and DELETE, and the chain head can neither be removed nor
moved back."""

import uuid

from django.db import migrations, models

TRUNCATE_TABLES = ("audit_auditrecord", "audit_auditseal", "audit_auditchainhead")

HEAD_FORWARD_ONLY = """
CREATE OR REPLACE FUNCTION yiwang_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'the audit chain head only moves forward: % to % refused', OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def mark_legacy(apps, schema_editor):
    """Records already written have no uid: the head remembers up to which id that is expected."""
    record, head = apps.get_model("audit", "AuditRecord"), apps.get_model("audit", "AuditChainHead")
    newest = record.objects.order_by("-id").values_list("id", flat=True).first() or 0
    head.objects.update_or_create(id=1, defaults={"legacy_until": newest})


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TRUNCATE_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION yiwang_audit_append_only();"
        )
    schema_editor.execute(
        "CREATE TRIGGER audit_auditchainhead_kept BEFORE DELETE ON audit_auditchainhead "
        "FOR EACH ROW EXECUTE FUNCTION yiwang_audit_append_only();"
    )
    schema_editor.execute(HEAD_FORWARD_ONLY, params=None)
    schema_editor.execute(
        "CREATE TRIGGER audit_auditchainhead_forward BEFORE UPDATE ON audit_auditchainhead "
        "FOR EACH ROW EXECUTE FUNCTION yiwang_audit_head_forward_only();"
    )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TRUNCATE_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditchainhead_kept ON audit_auditchainhead;")
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditchainhead_forward ON audit_auditchainhead;")
    schema_editor.execute("DROP FUNCTION IF EXISTS yiwang_audit_head_forward_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [
        migrations.AddField(
            model_name="auditchainhead", name="legacy_until", field=models.BigIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="uid",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True, verbose_name="record uid"),
        ),
        migrations.AlterField(
            model_name="auditrecord",
            name="uid",
            field=models.UUIDField(
                blank=True, default=uuid.uuid4, editable=False, null=True, unique=True, verbose_name="record uid"
            ),
        ),
        migrations.RunPython(mark_legacy, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]
