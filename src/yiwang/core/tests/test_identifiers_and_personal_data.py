"""Resident ID numbers (GB 11643) and personal data at rest."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from stdnum.cn import ric

from yiwang.core.identifiers import is_mobile_phone, resident_id_problem, resident_id_with_check
from yiwang.core.personal_data import decrypt, encrypt, lookup_digest

VALID = "11010519491231002X"


@pytest.mark.parametrize("number", [VALID, VALID.lower(), resident_id_with_check("44030620000229123")])
def test_valid_numbers(number: str) -> None:
    assert resident_id_problem(number) is None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("11010519491231002", "length"),
        ("110105491231002", "length"),  # the old 15-digit cards are not accepted for new accounts
        ("11010519491231A02X", "format"),
        (resident_id_with_check("44030619990229123"), "birth_date"),  # 1999 is not a leap year
        (resident_id_with_check("11010520991231002"), "birth_date"),  # born in the future
        (resident_id_with_check("11010518891231002"), "birth_date"),  # before 1900
        (resident_id_with_check("99010519491231002"), "region"),  # no province 99
        ("110105194912310021", "checksum"),
    ],
)
def test_invalid_numbers_say_why(number: str, reason: str) -> None:
    assert resident_id_problem(number, today=date(2026, 11, 22)) == reason


def test_the_check_character_of_a_known_number() -> None:
    # stdnum's ric.calc_check_digit wants the check character included; given 17 characters it
    # silently computes the check of a 16-character prefix. The wrapper hides that trap.
    assert resident_id_with_check("11010519491231002") == VALID
    assert ric.calc_check_digit("11010519491231002") != "X"


def test_stdnum_calls_every_problem_a_checksum_which_is_why_we_wrap_it() -> None:
    with pytest.raises(Exception, match="checksum"):
        ric.validate(resident_id_with_check("44030619990229123")[:17] + "0")


@pytest.mark.parametrize(
    ("phone", "ok"), [("13812345678", True), ("+86 138-1234-5678", True), ("12812345678", False), ("1381234567", False)]
)
def test_mobile_numbers(phone: str, ok: bool) -> None:
    assert is_mobile_phone(phone) is ok


def test_encryption_round_trip_with_a_fresh_nonce_each_time() -> None:
    first, second = encrypt(VALID), encrypt(VALID)
    assert first != second
    assert VALID not in first
    assert decrypt(first) == VALID


def test_an_altered_ciphertext_is_refused() -> None:
    stored = encrypt(VALID)
    tampered = stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB")
    with pytest.raises(ValueError, match="altered"):
        decrypt(tampered)


def test_lookup_digests_are_keyed_and_stable() -> None:
    assert lookup_digest(VALID) == lookup_digest(VALID)
    assert len(lookup_digest(VALID)) == 64


@pytest.mark.django_db
def test_a_database_dump_reveals_no_id_number_or_phone() -> None:
    from yiwang.accounts.services import citizen_register

    citizen_register(full_name="张三", id_number=VALID, phone="13812345678", password="Kx9-long-pass")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user")
        dump = repr(cursor.fetchall())
    assert VALID not in dump
    assert "13812345678" not in dump
