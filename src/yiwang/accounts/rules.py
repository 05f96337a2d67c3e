"""What a registration, and an account the system administrator keeps, must satisfy: stated once for
the services, forms (the admin's too) and API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from yiwang.accounts.models import AccountKind
from yiwang.core.fields import choice_problems, text_problems
from yiwang.core.identifiers import is_mobile_phone, resident_id_problem
from yiwang.organisation.rules import Problem, credit_code_problems

_RESIDENT_ID_REASONS = {
    "length": lambda: _("A resident ID number has 18 characters."),
    "format": lambda: _("The first 17 characters of an ID number are digits; the last is a digit or X."),
    "birth_date": lambda: _("The birth date in the ID number (characters 7-14) is not a valid date."),
    "region": lambda: _("The first two digits of the ID number are not a valid province code."),
    "checksum": lambda: _("The check character (the last one) of the ID number is wrong; please check the number."),
}


def resident_id_problems(value: str, field: str = "id_number") -> list[Problem]:
    reason = resident_id_problem(value)
    return [] if reason is None else [(field, _RESIDENT_ID_REASONS[reason]())]


def phone_problems(value: str, field: str = "phone") -> list[Problem]:
    return [] if is_mobile_phone(value) else [(field, _("Enter an 11-digit mainland mobile number."))]


def name_problems(value: str, field: str, max_length: int = 100) -> list[Problem]:
    if not value.strip():
        return [(field, _("This field is required."))]
    if len(value) > max_length:
        return [(field, _("At most %(n)s characters.") % {"n": max_length})]
    return []


def password_problems(password: str, field: str = "password", user: Any = None) -> list[Problem]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [(field, message) for message in error.messages]
    return []


def credit_code_field_problems(value: str, field: str = "credit_code") -> list[Problem]:
    return [(field, message) for _f, message in credit_code_problems(value)]


def _django_problems(validator: Any, value: str, field: str) -> list[Problem]:
    """Django's own check of a username or an e-mail address, with its (translated) message."""
    try:
        validator(value)
    except ValidationError as error:
        return [(field, message) for message in error.messages]
    return []


def account_problems(*, username: str, full_name: str, kind: str, email: str, credit_code: str) -> list[Problem]:
    """An account as the system administrator keeps it: login name, name, kind, e-mail, credit code."""
    problems = text_problems(username, "username", max_length=150, required=True) or _django_problems(
        UnicodeUsernameValidator(), username, "username"
    )
    problems += text_problems(full_name, "full_name", max_length=100)
    problems += choice_problems(kind, "kind", AccountKind.values)
    problems += text_problems(email, "email", max_length=254) or (
        _django_problems(validate_email, email.strip(), "email") if email.strip() else []
    )
    return problems + (credit_code_field_problems(credit_code) if credit_code else [])
