"""The audit trail: append-only records, sealed into a keyed SM3 chain (等保 2.0 level 3).

Each record carries a random ``uid`` that its digest covers, so a copy of a record under another id
is not a record the platform wrote. Nothing in the database alone proves the chain was not cut back:
the sealer also writes each new head, signed, to a file outside the database and to the log stream
(``audit.anchors``), and ``audit_verify`` checks the chain against those anchors.

Appending is one INSERT of an ``AuditRecord`` in the business transaction, so it never serialises
the platform. A sealer (``audit.services.audit_seal``, run in the background) then appends an
``AuditSeal`` per record in a single chain; only sealers wait for each other. Neither table is ever
updated or deleted by the application, and on PostgreSQL triggers reject UPDATE and DELETE.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.audit.choices import AuditResult as AuditResult  # re-exported: the trail's own code reads it here


class AuditRecord(models.Model):
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Plain values, not foreign keys: the trail must outlive the accounts it names, and deleting an
    # account must not have to touch (and be refused by) the append-only table.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_roles = models.JSONField(_("roles"), default=list, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=128, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    # The record's identity under its digest: unique, so a copy under a new id must take a new uid and
    # then fails its digest. Empty only on records written before it existed (see AuditChainHead).
    uid = models.UUIDField(_("record uid"), unique=True, null=True, blank=True, editable=False, default=uuid.uuid4)
    digest = models.CharField(_("SM3 digest"), max_length=64)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class AuditSeal(models.Model):
    """Position ``seq`` of the chain: HMAC-SM3 over the previous seal's MAC and the record's digest."""

    seq = models.PositiveBigIntegerField(unique=True)
    record = models.OneToOneField(AuditRecord, on_delete=models.PROTECT, related_name="seal")
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"seal {self.seq}"


class AuditChainHead(models.Model):
    """The end of the chain; its row lock is what sealers (and only sealers) queue on."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="")
    last_record_id = models.BigIntegerField(default=0)
    # Records up to this id were written before records had a uid; later ones without one are not
    # the platform's and are never sealed.
    legacy_until = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"chain head at {self.seq}"
