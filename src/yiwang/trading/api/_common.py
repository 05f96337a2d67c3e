"""The trading API's router, the error responses of its operations and the staff's project lookup."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import ErrorOut
from yiwang.core.shell import acting_user
from yiwang.trading import selectors
from yiwang.trading.models import TradingProject

router = Router(tags=["trading"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


def _staff_step(request: HttpRequest, code: str) -> tuple[Any, TradingProject]:
    actor = acting_user(request)
    return actor, selectors.project_for_staff(actor, code)
