from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from yiwang.core.elder import elder_mode


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"YIWANG_ENV": settings.YIWANG_ENV, "PLATFORM_NAME_EN": "Yiwang", "ELDER_MODE": elder_mode(request)}
