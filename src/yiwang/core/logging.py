"""Logging filters: request id on every record, personal data masked in every message."""

from __future__ import annotations

import logging

from yiwang.core.masking import mask_text
from yiwang.core.request_context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class PersonalDataFilter(logging.Filter):
    """Rewrites the formatted message with ID numbers and phones masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
