"""证照标识 (GB/T 36904, as the provinces implement it; licences.md):

    1.2.156.3005.2.{licence type code}.{issuer USCC}.{serial}.{version, 3 digits}.{check character}

The check character is ISO 7064 MOD 37,36 (python-stdnum) over the type code, issuer code, serial and
version written together without separators. Checked against the published example
``1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U`` in the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.iso7064 import mod_37_36

PREFIX = "1.2.156.3005.2"
_PART = re.compile(r"^[0-9A-Z]+$")


@dataclass(frozen=True)
class LicenceIdentifier:
    type_code: str  # the defining ministry's USCC + a 3-digit serial (21 characters)
    issuer_code: str  # the issuing department's unified social credit code (18)
    serial: str
    version: int

    def __str__(self) -> str:
        body = f"{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}"
        return f"{PREFIX}.{body}.{check_character(self.type_code, self.issuer_code, self.serial, self.version)}"


def check_character(type_code: str, issuer_code: str, serial: str, version: int) -> str:
    return str(mod_37_36.calc_check_digit(f"{type_code}{issuer_code}{serial}{version:03d}"))


def identifier_parse(text: str) -> LicenceIdentifier | None:
    """The identifier's parts if ``text`` is a well-formed identifier with the right check character."""
    value = text.strip().upper()
    if not value.startswith(PREFIX + "."):
        return None
    parts = value[len(PREFIX) + 1 :].split(".")
    if len(parts) != 5 or not all(_PART.match(p) for p in parts):
        return None
    type_code, issuer_code, serial, version, check = parts
    if len(issuer_code) != 18 or len(version) != 3 or not version.isdigit() or len(check) != 1:
        return None
    parsed = LicenceIdentifier(type_code, issuer_code, serial, int(version))
    return parsed if check_character(type_code, issuer_code, serial, int(version)) == check else None
