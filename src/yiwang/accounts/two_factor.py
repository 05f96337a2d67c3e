"""Two-factor login with TOTP (RFC 6238).

等保 2.0 level 3 asks two-factor authentication of administrators: the system administrator, the
security administrator and the security auditor must use it; everyone else may turn it on.
"""

from __future__ import annotations

import time

import pyotp
import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import TotpDevice, User
from yiwang.accounts.roles import SECURITY_ROLES
from yiwang.accounts.selectors import user_has_role
from yiwang.audit.services import audit_record
from yiwang.core.errors import ValidationFailed

ISSUER = "一网 Yiwang"
STEP_SECONDS = 30


def two_factor_required(user: User) -> bool:
    return user_has_role(user=user, roles=SECURITY_ROLES)


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def two_factor_needed(user: User) -> bool:
    """Whether logging in takes a code: required by role, or turned on by the user."""
    return two_factor_required(user) or confirmed_device(user) is not None


@transaction.atomic
def totp_enrol(*, user: User) -> TotpDevice:
    """The user's authenticator; a new one gets a fresh secret, kept until it is confirmed, so the
    QR code scanned on one page load still matches the code typed after the next."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_svg(device: TotpDevice) -> str:
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, dark="#1f2328", light="#ffffff")


def _accept(device: TotpDevice, code: str, now: float | None = None) -> bool:
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    current = int((now or time.time()) // STEP_SECONDS)
    for step in (current - 1, current, current + 1):  # one step of clock drift either way
        if step > device.last_step and totp.at(step * STEP_SECONDS) == code:
            device.last_step = step
            return True
    return False


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TotpDevice:
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not _accept(device, code):
        raise ValidationFailed(
            _("The code is wrong or has expired; enter the current 6-digit code."),
            code="otp_invalid",
            details={
                "errors": [
                    {"field": "code", "message": _("The code is wrong or has expired; enter the current 6-digit code.")}
                ]
            },
        )
    device.confirmed_at = device.confirmed_at or timezone.now()
    device.save(update_fields=["confirmed_at", "last_step"])
    audit_record(actor=user, action="accounts.two_factor_confirm", target=device)
    return device


@transaction.atomic
def totp_verify(*, user: User, code: str) -> bool:
    """A login code: right, current, and not used before."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None or not _accept(device, code):
        return False
    device.save(update_fields=["last_step"])
    return True
