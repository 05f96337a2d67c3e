"""The id of the request being served, for logs and error bodies."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)

# An id from outside is echoed only if it is short and plain; anything else is replaced so that
# a client cannot inject text into our logs.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def accept_request_id(candidate: str | None) -> str:
    if candidate and _ACCEPTABLE.match(candidate):
        return candidate
    return uuid.uuid4().hex


def set_request_id(value: str) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]


def current_request_id() -> str:
    return _request_id.get()


def set_client_ip(value: str | None) -> object:
    return _client_ip.set(value)


def reset_client_ip(token: object) -> None:
    _client_ip.reset(token)  # type: ignore[arg-type]


def current_client_ip() -> str | None:
    return _client_ip.get()
