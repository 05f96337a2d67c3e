"""The parties' keys: a bidder or a custodian registers its SM2 public key."""

from typing import Any

from django.http import HttpRequest
from ninja.responses import Status

from yiwang.core.shell import acting_user
from yiwang.trading import services
from yiwang.trading.api._common import ERRORS, router
from yiwang.trading.schemas import PartyKeyIn, PartyKeyOut


@router.post(
    "/keys",
    response={201: PartyKeyOut, **ERRORS},
    summary="Register my SM2 public key",
    operation_id="yiwang_trading_api_key_register",
)
def key_register(request: HttpRequest, data: PartyKeyIn) -> Status[Any]:
    key = services.party_key_register(actor=acting_user(request), purpose=data.purpose, public_key=data.public_key)
    return Status(201, key)
