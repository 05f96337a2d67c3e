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


_formatter = logging.Formatter()


class PersonalDataFilter(logging.Filter):
    """Masks ID numbers and phones in the message and in any traceback or stack attached to it.

    Exception messages are where personal data most often hides (``ValueError: 110105…``), so
    the traceback is formatted here, masked, and left as the record's only exception text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = None
        if message is not None:
            masked = mask_text(message)
            if masked != message:
                record.msg = masked
                record.args = None
        if record.exc_info:
            record.exc_text = mask_text(record.exc_text or _formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
