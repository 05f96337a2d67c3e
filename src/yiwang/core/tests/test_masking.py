"""Personal data is masked for display and never reaches a log (个人信息保护法)."""

from __future__ import annotations

import logging

import pytest

from yiwang.core.logging import PersonalDataFilter
from yiwang.core.masking import mask_id_number, mask_phone, mask_text


def test_id_number_masking_hides_the_birth_date() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_phone_masking() -> None:
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("申请人 11010519491231002X 来电", "申请人 110105********002X 来电"),
        ("手机13812345678，备用 15900001111", "手机138****5678，备用 159****1111"),
        ("旧身份证 110105491231002", "旧身份证 110105******002"),
        ("办件号 YW-990100-20261122-000123", "办件号 YW-990100-20261122-000123"),
    ],
)
def test_free_text_masking(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_log_records_are_masked() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "caller %s phone %s", ("11010519491231002X", "13812345678"), None
    )
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "caller 110105********002X phone 138****5678"


@pytest.mark.parametrize("formatter_name", ["json", "text"])
def test_tracebacks_are_masked_in_every_log_format(formatter_name: str) -> None:
    import io

    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    from yiwang.core.logging import RequestIdFilter

    spec = dict(settings.LOGGING["formatters"][formatter_name])
    if formatter_name == "json":
        spec.pop("()")
        formatter: logging.Formatter = JsonFormatter(spec.pop("fmt"), **spec)
    else:
        formatter = logging.Formatter(spec["format"])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger(f"masking-test-{formatter_name}")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise ValueError("申请人身份证 11010519491231002X 手机 13812345678")
    except ValueError:
        logger.exception("import failed for %s", "13912345678")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "11010519491231002X" not in output
    assert "13812345678" not in output
    assert "13912345678" not in output
    assert "110105********002X" in output
    assert "Traceback" in output
