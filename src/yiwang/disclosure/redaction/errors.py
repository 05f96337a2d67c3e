"""Refusals of the engine, each with a machine code and a Chinese message for the officer.

The messages are plain Chinese rather than gettext ids: the engine is used from services and tasks alike
and names the file's problem, not a screen's.
"""

from __future__ import annotations

from typing import Any

from yiwang.core.errors import DomainError

# Caps against hostile or accidental uploads: every cap bounds memory or time, not legitimacy.
MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 500
# One page's raster: an A0 sheet at 150 dpi is about 70 million pixels; a scan larger than this is
# refused rather than held in memory (three bytes a pixel).
MAX_PIXELS = 80_000_000
MIN_DPI = 72.0

MESSAGES = {
    "redaction_unsupported_type": "只能处理 PDF、PNG 或 JPEG 文件。",
    "redaction_unreadable": "文件已损坏或不是所声明的格式，无法读取。",
    "redaction_encrypted": "PDF 文件设有打开密码，请提供未加密的文件。",
    "redaction_empty": "文件没有任何页面。",
    "redaction_too_large": "文件过大（页数、页面尺寸或图像像素超出限制），无法处理。",
    "redaction_area_invalid": "遮盖区域不在文件页面范围内。",
    "redaction_ocr_unavailable": "文字识别组件不可用，无法检查扫描页面。",
}


class RedactionError(DomainError):
    status = 422

    def __init__(self, code: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(MESSAGES[code], code=code, details=details)
        if code == "redaction_too_large":
            self.status = 413
