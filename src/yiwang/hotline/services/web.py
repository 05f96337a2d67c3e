"""网上诉求: 12345 on the portal (docs/hotline.md, "The citizen's side"). A citizen raises a request in
their account's name, or without an account with a phone proved by an SMS code; follows it on 我的诉求;
rates the reply, or says it is not solved, which sends it back to be redone as the follow-up does.

Who the caller is comes from the session (the account) or from a phone the caller proved with a code —
never from a typed name or number alone."""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.choices import AccountKind
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed, raise_problems
from yiwang.core.fields import Problem, choice_problems, text_problems
from yiwang.core.identifiers import normalise_phone
from yiwang.core.masking import mask_phone
from yiwang.core.personal_data import lookup_digest
from yiwang.core.uploads import upload_checked, upload_problem
from yiwang.hotline.models import (
    PhoneChallenge,
    Satisfaction,
    Ticket,
    TicketAttachment,
    TicketChannel,
    TicketKind,
    TicketStatus,
)
from yiwang.hotline.services._common import ticket_locked
from yiwang.hotline.services.follow_up import ticket_follow_up
from yiwang.hotline.services.intake import Intake, ticket_create_keyed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile

    from yiwang.accounts.models import User

# What a citizen raises on the web: the kinds of 12345 (a praise, a suggestion too), chosen in plain words.
WEB_KINDS = (
    TicketKind.CONSULT,
    TicketKind.HELP,
    TicketKind.COMPLAINT,
    TicketKind.REPORT,
    TicketKind.SUGGESTION,
    TicketKind.PRAISE,
)
MOBILE_DIGITS = 11
CODE_DIGITS = 6
CODE_MINUTES = 5
CODE_TRIES = 5
CODE_EVERY_SECONDS = 60  # one code a minute per phone and purpose
CODES_PER_HOUR = 5
PHOTOS_MAX = 3
PHOTO_MAX_MB = 5
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")
NOTE_MAX = 500


_MOBILE = re.compile(r"1[3-9][0-9]{9}")


class Purpose:
    SUBMIT = "submit"
    FOLLOW = "follow"
    ALL = (SUBMIT, FOLLOW)


def _mobile(phone: str) -> str:
    """The mainland mobile number in ``phone`` (spaces, dashes and +86 dropped), or ''."""
    digits = normalise_phone(phone or "")  # ASCII digits: one number, however it was typed, one digest
    if digits.startswith("86") and len(digits) == MOBILE_DIGITS + 2:
        digits = digits[2:]
    return digits if _MOBILE.fullmatch(digits) else ""


def phone_digest(phone: str) -> str:
    """The keyed digest the tickets of a caller's phone are found by (as the intake stores it)."""
    return lookup_digest(_mobile(phone))


def _code_digest(challenge_phone_digest: str, code: str) -> str:
    return lookup_digest(f"sms-code:{challenge_phone_digest}:{code}")


# --- the SMS code -----------------------------------------------------------------------------------------


def phone_code_send(*, phone: str, purpose: str) -> None:
    """Sends a six-digit code to the phone (valid five minutes, five tries). At most one a minute and
    five an hour per phone: counted in the database, so every app server counts the same."""
    mobile = _mobile(phone)
    problems: list[Problem] = choice_problems(purpose, "purpose", Purpose.ALL)
    if not mobile:
        problems.append(("phone", _("Enter a mainland mobile number of 11 digits.")))
    raise_problems(problems)
    digest = lookup_digest(mobile)
    now = timezone.now()
    with transaction.atomic():
        recent = PhoneChallenge.objects.select_for_update().filter(
            phone_digest=digest, created_at__gte=now - timedelta(hours=1)
        )
        sent = list(recent.values_list("created_at", "purpose"))
        if any(at >= now - timedelta(seconds=CODE_EVERY_SECONDS) and p == purpose for at, p in sent):
            raise Conflict(
                _("A code was sent less than a minute ago; please wait before asking again."), code="sms_wait"
            )
        if len(sent) >= CODES_PER_HOUR:
            raise Conflict(_("Too many codes for this number; please try again in an hour."), code="sms_limit")
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        PhoneChallenge.objects.create(
            phone_digest=digest, purpose=purpose, code_digest=_code_digest(digest, code), created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )  # fmt: skip
        audit_record(actor=None, action="hotline.sms_code", object_type="phone", changes={"phone": mask_phone(mobile)})

    # Sent once the challenge is stored (a code the database does not hold would only mislead).
    from yiwang.core.sms import sms_send

    text = _("[12345] Your code is %(code)s, valid for %(n)d minutes. Do not tell it to anyone.") % {
        "code": code,
        "n": CODE_MINUTES,
    }
    sms_send(phone=mobile, text=text)


def _code_problem(phone: str, code: str, purpose: str) -> tuple[str, PhoneChallenge | None]:
    """Checks the code against the phone's latest challenge, counting the try in its own transaction (so a
    wrong try counts even when the caller's request fails). ('', challenge) when right, else (message, None)."""
    mobile = _mobile(phone)
    code = (code or "").strip()
    if not mobile:
        return _("Enter a mainland mobile number of 11 digits."), None
    if not (len(code) == CODE_DIGITS and code.isdigit()):
        return _("Enter the 6-digit code sent to your phone."), None
    digest = lookup_digest(mobile)
    now = timezone.now()
    # Called outside any transaction of the caller's: the try is committed here, whatever happens after.
    with transaction.atomic():
        challenge = (
            PhoneChallenge.objects.select_for_update()
            .filter(phone_digest=digest, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if challenge is None or challenge.expires_at < now or challenge.attempts >= CODE_TRIES:
            return _("The code has expired; ask for a new one."), None
        challenge.attempts += 1
        challenge.save(update_fields=["attempts"])
        if not hmac.compare_digest(challenge.code_digest, _code_digest(digest, code)):
            return _("The code is wrong; check the text message and try again."), None
    return "", challenge


def _code_use(challenge: PhoneChallenge) -> None:
    """Marks the code used, in the caller's transaction: if their request fails, the code stays good."""
    used = PhoneChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not used:
        raise Conflict(_("The code has already been used; ask for a new one."), code="sms_code_used")


def phone_prove(*, phone: str, code: str) -> str:
    """我的诉求 without an account: the phone proved with a code; returns its digest for the session. Not one
    transaction: a wrong try is committed by ``_code_problem`` before the refusal (else five tries are
    endless), and the code is used in its own."""
    problem, challenge = _code_problem(phone, code, Purpose.FOLLOW)
    if challenge is None:
        raise ValidationFailed(problem, code="sms_code", details={"errors": [{"field": "code", "message": problem}]})
    with transaction.atomic():
        _code_use(challenge)
    return lookup_digest(_mobile(phone))


# --- raising a request ------------------------------------------------------------------------------------


@dataclass
class WebRequest:
    kind: str
    category_code: str
    description: str
    address: str = ""
    region_code: str = ""
    latitude: str = ""
    longitude: str = ""
    caller_name: str = ""
    phone: str = ""
    sms_code: str = ""
    publish_consent: bool = False


def _photo_problems(photos: list[UploadedFile[bytes]]) -> list[Problem]:
    problems: list[Problem] = []
    if len(photos) > PHOTOS_MAX:
        problems.append(("photos", _("At most %(n)d photos.") % {"n": PHOTOS_MAX}))
    for photo in photos:
        name = photo.name or ""
        if PurePath(name).suffix.lower() not in PHOTO_SUFFIXES:
            problems.append(("photos", _("%(name)s: photos are JPG or PNG.") % {"name": name[:60]}))
        elif (photo.size or 0) > PHOTO_MAX_MB * 1024 * 1024:
            problems.append(("photos", _("%(name)s is larger than %(n)d MB.") % {"name": name[:60], "n": PHOTO_MAX_MB}))
        elif problem := upload_problem(photo):
            problems.append(("photos", problem))
    return problems


def own_mobile(actor: User | AnonymousUser | None) -> str:
    """The account's own mobile number (needs no code), or ''."""
    if actor is None or not actor.is_authenticated:
        return ""
    return _mobile(getattr(actor, "phone", "") or "")


def _caller(actor: User | AnonymousUser | None) -> User | None:
    """The account a request is raised in, or None without one; staff raise requests at the workbench."""
    if actor is None or not actor.is_authenticated:
        return None
    if getattr(actor, "kind", "") not in (AccountKind.NATURAL_PERSON, AccountKind.LEGAL_PERSON):
        raise PermissionDenied(
            _("Staff accounts enter requests at the hotline workbench; log out to raise your own."),
            code="not_a_caller",
        )
    return actor


def web_ticket_submit(
    *,
    actor: User | AnonymousUser | None,
    request: WebRequest,
    photos: list[UploadedFile[bytes]] | None = None,
    idempotency_key: str | None = None,
) -> Ticket:
    """网上诉求: every field checked before anything is written (the intake's rules, the web's kinds, the
    photos); without an account the phone must be proved by its code. Then, in one transaction, the
    code is used, the ticket made (channel web, dispatched as any other) and the photos stored."""
    account = _caller(actor)
    photos = list(photos or [])
    # The account's own phone needs no code; any other number is proved like a caller without an account.
    own = own_mobile(account)
    mobile = own or _mobile(request.phone)
    needs_code = not own
    problems: list[Problem] = choice_problems(request.kind, "kind", [str(k) for k in WEB_KINDS])
    intake = Intake(
        channel=TicketChannel.WEB, kind=request.kind, category_code=request.category_code,
        description=request.description, address=request.address, region_code=request.region_code,
        latitude=request.latitude, longitude=request.longitude,
        caller_name=(account.full_name if account is not None else request.caller_name) or "",
        caller_phone=mobile, anonymous=False, wants_reply=True,
    )  # fmt: skip
    from yiwang.hotline.services.intake import intake_problems

    found, _clean = intake_problems(intake)
    problems += [p for p in found if p[0] not in ("kind", "caller_phone")]
    if len(request.description.strip()) < 5 and not any(p[0] == "description" for p in problems):
        # Optional for an Open311 client (the specification's), never on the web form.
        problems.append(("description", _("Describe the request in at least a few words.")))
    if not mobile:
        problems.append(("phone", _("Enter a mainland mobile number of 11 digits.")))
    raise_problems(problems)
    challenge = None
    if needs_code:  # before any photo is decoded: no stranger makes the server parse images
        problem, challenge = _code_problem(mobile, request.sms_code, Purpose.SUBMIT)
        if challenge is None:
            raise ValidationFailed(
                problem, code="sms_code", details={"errors": [{"field": "sms_code", "message": problem}]}
            )
    raise_problems(_photo_problems(photos))
    with transaction.atomic():
        if challenge is not None:
            _code_use(challenge)
        key = idempotency_key if account is not None and not needs_code else None
        ticket, created = ticket_create_keyed(actor=None, intake=intake, caller_account=account, idempotency_key=key)
        if not created:
            return ticket
        if request.publish_consent:
            ticket.publish_consent = True
            ticket.save(update_fields=["publish_consent"])
        for photo in photos:
            checked = upload_checked(photo)
            TicketAttachment.objects.create(
                ticket=ticket, file=photo, name=checked.name, size=checked.size,
                content_type=checked.content_type, digest=checked.digest, uploaded_by=account,
            )  # fmt: skip
        audit_record(
            actor=account, action="hotline.web_submit", target=ticket,
            changes={"photos": len(photos), "publish_consent": request.publish_consent},
        )  # fmt: skip
    return ticket


# --- following and rating ---------------------------------------------------------------------------------


def owns(ticket: Ticket, *, account: User | AnonymousUser | None, phone_proved: str) -> bool:
    """The caller's own ticket: raised in their account, or from the phone they proved in this session."""
    if account is not None and account.is_authenticated and ticket.caller_account_id == account.pk:
        return True
    return (
        bool(phone_proved)
        and bool(ticket.caller_phone_digest)
        and hmac.compare_digest(ticket.caller_phone_digest, phone_proved)
    )


@transaction.atomic
def web_ticket_rate(
    *,
    actor: User | AnonymousUser | None,
    phone_proved: str,
    ticket: Ticket,
    solved: bool,
    satisfaction: str = "",
    note: str = "",
) -> Ticket:
    """The caller's say on the reply, on 我的诉求: solved with a rating closes the ticket; not solved sends
    it back to the unit to be redone (济南 §27), as the follow-up does — the note says what is left."""
    if not owns(ticket, account=actor, phone_proved=phone_proved):
        raise NotFound(code="not_found")
    ticket = ticket_locked(ticket)
    problems = text_problems(note, "note", max_length=NOTE_MAX, required=not solved, multiline=True)
    if solved:
        problems += choice_problems(satisfaction, "satisfaction", Satisfaction.values)
        if satisfaction == Satisfaction.DISSATISFIED:
            problems.append(("satisfaction", _("If the problem is not solved, say so: the request is then redone.")))
    raise_problems(problems)
    if ticket.status != TicketStatus.REPLIED:
        raise Conflict(_("Only a replied request can be rated."), code="transition_not_allowed")
    done = ticket_follow_up(
        actor=None, ticket=ticket, satisfaction=satisfaction if solved else Satisfaction.DISSATISFIED,
        solved=solved, note=note, redo=not solved, via="web",
    )  # fmt: skip
    return done


def web_kinds() -> list[tuple[str, str]]:
    return [(str(k.value), str(k.label)) for k in WEB_KINDS]
