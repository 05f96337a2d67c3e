"""Sending SMS behind a small interface, so a carrier's gateway is one class to add.

``YIWANG_SMS_BACKEND`` names the class. Messages are never logged with the full number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yiwang.core.masking import mask_phone, mask_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> None: ...


class ConsoleSmsBackend:
    """Development: prints the message with the number masked."""

    def send(self, message: SmsMessage) -> None:
        print(f"[SMS to {mask_phone(message.phone)}] {mask_text(message.text)}")


class LocmemSmsBackend:
    """Tests: keeps messages in ``outbox``."""

    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        LocmemSmsBackend.outbox.append(message)


def sms_send(*, phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.YIWANG_SMS_BACKEND)()
    backend.send(SmsMessage(phone=phone, text=text))
    logger.info("SMS sent to %s", mask_phone(phone))
