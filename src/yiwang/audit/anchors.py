"""Chain heads kept where the database cannot rewrite them.

Everything in the database can be rewound by whoever controls it: delete the newest records and their
seals, set the head back, and the chain that is left verifies. So each time the sealer moves the head,
the head (position and MAC) is signed with the audit key and appended to a file outside the database,
and written to the log stream, which production ships to a log server. ``audit_verify`` then requires
every anchor to be on the chain: a chain cut back behind an anchor is reported as rewound.

The file is only ever appended to (O_APPEND, one line per write, fsync'd). Make it append-only for the
operating system too (``chattr +a``) or put it on storage the database host cannot write; the log
stream is the second copy. A line whose signature fails is reported, not skipped.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from yiwang.core.crypto import hmac_sm3_hex

logger = logging.getLogger("yiwang.audit.anchors")

# The tail read to find the newest anchor already written: a line is well under 400 bytes.
_TAIL_BYTES = 4096


@dataclass(frozen=True)
class Anchor:
    seq: int
    mac: str
    at: datetime
    host: str


class AnchorFileDamaged(Exception):
    """A line of the anchor file is not an anchor the platform signed."""

    def __init__(self, line_number: int, reason: str) -> None:
        super().__init__(f"line {line_number}: {reason}")
        self.line_number, self.reason = line_number, reason


def anchor_path() -> Path:
    return Path(settings.YIWANG_AUDIT_ANCHOR_PATH)


def _signature(key: bytes, seq: int, mac: str, at: str, host: str) -> str:
    return hmac_sm3_hex(key, f"anchor|{seq}|{mac}|{at}|{host}".encode())


def _line(key: bytes, seq: int, mac: str) -> str:
    at, host = timezone.now().isoformat(timespec="microseconds"), socket.gethostname()
    body = {"seq": seq, "mac": mac, "at": at, "host": host, "sig": _signature(key, seq, mac, at, host)}
    return json.dumps(body, separators=(",", ":")) + "\n"


def _newest_written(path: Path) -> int:
    """The position of the last anchor in the file (0 if none): appending is skipped when it is current."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - _TAIL_BYTES))
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return 0
    for raw in reversed(lines):
        try:
            return int(json.loads(raw)["seq"])
        except (ValueError, KeyError, TypeError):
            continue
    return 0


def anchor_append(key: bytes, seq: int, mac: str) -> bool:
    """Appends the head at ``seq`` unless the file already holds it or a later one; logs it either way."""
    logger.info("audit chain head", extra={"audit_seq": seq, "audit_mac": mac})
    if seq <= 0:
        return False
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if _newest_written(path) >= seq:
        return False
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, _line(key, seq, mac).encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return True


def anchors_read(key: bytes, *, until: datetime | None = None) -> dict[int, str]:
    """Every signed anchor in the file (position → MAC), written up to ``until`` when given — after a
    restore, the heads the lost part of the chain had reached are not expected on the restored copy."""
    found: dict[int, str] = {}
    try:
        handle = anchor_path().open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return found
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                body = json.loads(raw)
                seq, mac, at, host, sig = (body[k] for k in ("seq", "mac", "at", "host", "sig"))
                written = datetime.fromisoformat(at)
            except (ValueError, KeyError, TypeError) as error:
                raise AnchorFileDamaged(number, "not an anchor") from error
            if not isinstance(seq, int) or sig != _signature(key, seq, str(mac), str(at), str(host)):
                raise AnchorFileDamaged(number, "the signature does not match")
            if until is not None and written > until:
                continue
            if found.get(seq, mac) != mac:
                raise AnchorFileDamaged(number, f"two different heads at position {seq}")
            found[seq] = mac
    return found
