"""Writing, sealing and verifying the audit trail."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from yiwang.audit.anchors import AnchorFileDamaged, anchor_append, anchor_path, anchors_read
from yiwang.audit.models import AuditChainHead, AuditRecord, AuditResult, AuditSeal
from yiwang.core.crypto import hmac_sm3_hex
from yiwang.core.masking import mask_text
from yiwang.core.request_context import current_client_ip, current_request_id
from yiwang.core.snapshot import read_snapshot

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yiwang.accounts.models import User

logger = logging.getLogger(__name__)

# A record committed this many ids behind the newest sealed one is still found by the sealer.
SEAL_LOOKBACK_IDS = 100_000
# A record this old that is not in the chain was not written by the platform.
UNSEALED_GRACE = timedelta(minutes=10)


def canonical_content(record: AuditRecord) -> bytes:
    """The bytes the record's SM3 digest covers: every field but the database id, in a fixed form —
    including the record's uid, so a copy under another id (which must take another uid: it is unique)
    is not the platform's. The position in the chain is bound by the seal's MAC (seq and id)."""
    content: dict[str, Any] = {
        "occurred_at": record.occurred_at.isoformat(),
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "actor_roles": record.actor_roles,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "changes": record.changes,
        "source_ip": record.source_ip,
        "request_id": record.request_id,
        "result": record.result,
    }
    if record.uid is not None:  # records from before uids keep the content they were digested with
        content["uid"] = str(record.uid)
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _masked(value: Any) -> Any:
    """Personal data never enters the trail in clear (个人信息保护法)."""
    return json.loads(mask_text(json.dumps(value, ensure_ascii=False, default=str)))


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{"field": [old, new]} for every field whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {
        name: getattr(instance, f"{name}_id" if instance._meta.get_field(name).is_relation else name) for name in fields
    }


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
    result: str = AuditResult.SUCCESS,
    actor_name: str = "",
) -> AuditRecord:
    """Appends one record to the trail; the caller's transaction decides whether it stays."""
    from yiwang.core.authz import user_roles

    authenticated = actor is not None and actor.is_authenticated
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    record = AuditRecord(
        occurred_at=timezone.now(),
        actor_id=actor.pk if authenticated else None,  # type: ignore[union-attr]
        actor_name=(actor.get_username() if authenticated else mask_text(actor_name))[:150],  # type: ignore[union-attr]
        actor_roles=sorted(user_roles(user=actor)) if authenticated else [],  # type: ignore[arg-type]
        action=action[:64],
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        changes=_masked(changes or {}),
        source_ip=current_client_ip(),
        request_id=current_request_id() if current_request_id() != "-" else "",
        result=result,
    )
    record.digest = content_digest(record)
    record.save(force_insert=True)
    transaction.on_commit(_request_seal)
    return record


def _request_seal() -> None:
    # At most one sealing task queued per couple of seconds, however many records are written.
    if cache.add("yiwang:audit-seal-queued", 1, timeout=2):
        from yiwang.audit.tasks import audit_seal_task

        audit_seal_task()


@lru_cache(maxsize=1)
def _chain_key() -> bytes:
    configured = settings.YIWANG_AUDIT_KEY
    if configured:
        return configured.encode()
    return bytes.fromhex(hmac_sm3_hex(settings.SECRET_KEY.encode(), b"yiwang-audit-chain"))


def content_digest(record: AuditRecord) -> str:
    """Keyed SM3 (HMAC-SM3) of the content: a row forged into the table without the key is detectable."""
    return hmac_sm3_hex(_chain_key(), canonical_content(record))


def _mac(seq: int, record_id: int, prev_mac: str, digest: str) -> str:
    return hmac_sm3_hex(_chain_key(), f"{seq}|{record_id}|{prev_mac}|{digest}".encode())


@transaction.atomic
def audit_seal(*, limit: int = 5000) -> int:
    """Appends the unsealed records to the chain, oldest first. Returns how many were sealed.

    A record is left out (and reported by ``audit_verify``) when its digest does not match, when it has
    no uid though written after uids existed, or when its uid is already on the chain: none of these
    was written by the platform, and none moves the look-back window."""
    AuditChainHead.objects.get_or_create(id=1)
    head = AuditChainHead.objects.select_for_update().get(id=1)
    unsealed = list(
        AuditRecord.objects.filter(id__gt=max(0, head.last_record_id - SEAL_LOOKBACK_IDS), seal__isnull=True).order_by(
            "id"
        )[:limit]
    )
    uids = [record.uid for record in unsealed if record.uid is not None]
    on_chain = set(AuditRecord.objects.filter(uid__in=uids, seal__isnull=False).values_list("uid", flat=True))
    seals = []
    for record in unsealed:
        if content_digest(record) != record.digest:
            # Not written by the platform (or changed before sealing): leave it out of the chain,
            # where audit_verify reports it.
            logger.error("audit record %s does not match its digest; not sealed", record.pk)
            continue
        if (record.uid is None and record.pk > head.legacy_until) or record.uid in on_chain:
            logger.error("audit record %s is a copy or has no uid; not sealed", record.pk)
            continue
        on_chain.add(record.uid)
        seq = head.seq + 1
        mac = _mac(seq, record.pk, head.mac, record.digest)
        seals.append(AuditSeal(seq=seq, record_id=record.pk, prev_mac=head.mac, mac=mac))
        head.seq, head.mac, head.last_record_id = seq, mac, max(head.last_record_id, record.pk)
    AuditSeal.objects.bulk_create(seals)
    head.save()
    if seals:
        seq, mac = head.seq, head.mac
        # robust: an anchor file that cannot be written is logged at ERROR, never fails the committed seal;
        # the periodic task writes the head again.
        transaction.on_commit(lambda: anchor_append(_chain_key(), seq, mac), robust=True)
    return len(seals)


def audit_anchor() -> bool:
    """Writes the committed head to the anchor file if it is not there yet (the periodic safety net for
    an anchor lost to a crash between a seal's commit and its append)."""
    head = AuditChainHead.objects.filter(id=1).first()
    return head is not None and anchor_append(_chain_key(), head.seq, head.mac)


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problem: str = ""  # altered | removed | inserted | truncated | rewound | unsealed | anchor_forged
    record_id: int | None = None
    seq: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_verify(*, anchors_until: datetime | None = None) -> VerifyResult:
    """Walks the chain from the start; names the first altered, removed, inserted or rewound record.

    Reads the anchors first and then the database in one snapshot (``core.snapshot``), so a sealer
    committing meanwhile is not mistaken for damage and every anchor read is already on the
    snapshot's chain. ``anchors_until`` verifies a restored copy as of its backup: heads anchored
    later are not expected on it, nor seals of records written just before it."""
    try:
        anchors = anchors_read(_chain_key(), until=anchors_until)
    except AnchorFileDamaged as damaged:
        return VerifyResult(0, "anchor_forged", None, None, f"{anchor_path()} {damaged}")
    with read_snapshot():
        return _verify_snapshot(anchors, as_of=anchors_until or timezone.now())


def _verify_snapshot(anchors: dict[int, str], *, as_of: datetime) -> VerifyResult:
    prev_mac, expected, checked = "", 1, 0
    seal_rows = AuditSeal.objects.order_by("seq").values_list("seq", "record_id", "prev_mac", "mac")
    batch: list[tuple[int, int, str, str]] = []

    def check(rows: list[tuple[int, int, str, str]]) -> VerifyResult | None:
        nonlocal prev_mac, expected, checked
        records = AuditRecord.objects.in_bulk([row[1] for row in rows])
        for seq, record_id, seal_prev, mac in rows:
            if seq != expected:
                return VerifyResult(checked, "removed", None, expected, f"seal {expected} is missing")
            record = records.get(record_id)
            if record is None:
                return VerifyResult(checked, "removed", record_id, seq, "the sealed record is gone")
            if seal_prev != prev_mac or _mac(seq, record_id, prev_mac, record.digest) != mac:
                return VerifyResult(checked, "altered", record_id, seq, "the chain does not match this record")
            if content_digest(record) != record.digest:
                return VerifyResult(checked, "altered", record_id, seq, "the record's content was changed")
            if anchors.get(seq, mac) != mac:
                return VerifyResult(checked, "rewound", record_id, seq, "the chain differs from an anchored head")
            prev_mac, expected, checked = mac, expected + 1, checked + 1
        return None

    for row in seal_rows.iterator(chunk_size=2000):
        batch.append(row)
        if len(batch) == 2000:
            if (problem := check(batch)) is not None:
                return problem
            batch = []
    if batch and (problem := check(batch)) is not None:
        return problem

    anchored = max(anchors, default=0)
    if anchored > checked:
        return VerifyResult(
            checked, "rewound", None, anchored, f"the chain ends at {checked}; a head at {anchored} was anchored"
        )
    head = AuditChainHead.objects.filter(id=1).first()
    if checked and head is None:
        return VerifyResult(checked, "truncated", None, checked, "the chain head is gone")
    if head is not None and (head.seq != expected - 1 or head.mac != prev_mac):
        return VerifyResult(checked, "truncated", None, head.seq, "seals at the end of the chain are gone")
    duplicate = (
        AuditRecord.objects.filter(uid__isnull=False)
        .order_by()
        .values("uid")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .order_by("uid")
        .values_list("uid", flat=True)
        .first()
    )
    if duplicate is not None:
        copy = AuditRecord.objects.filter(uid=duplicate, seal__isnull=True).order_by("id").first()
        return VerifyResult(checked, "inserted", copy.pk if copy else None, None, "a copy of a record")
    legacy_until = head.legacy_until if head is not None else 0
    cutoff = as_of - UNSEALED_GRACE  # on a restored copy: records the sealer had not reached at the backup
    for stray in AuditRecord.objects.filter(seal__isnull=True).order_by("id").iterator(chunk_size=2000):
        if content_digest(stray) != stray.digest or (stray.uid is None and stray.pk > legacy_until):
            return VerifyResult(checked, "inserted", stray.pk, None, "a record the platform did not write")
        if stray.occurred_at < cutoff:
            return VerifyResult(checked, "unsealed", stray.pk, None, "the sealer has not run for this record")
    return VerifyResult(checked)
