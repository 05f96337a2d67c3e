"""What a registration must satisfy, stated once for the services, forms and API."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def password_problems(password: str, field: str = "password") -> list[Problem]:
    try:
        validate_password(password)
    except ValidationError as error:
        return [(field, message) for message in error.messages]
    return []


def credit_code_field_problems(value: str, field: str = "credit_code") -> list[Problem]:
    return [(field, message) for _f, message in credit_code_problems(value)]
