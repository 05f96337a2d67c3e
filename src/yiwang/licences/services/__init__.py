"""Writes of the e-licence context (docs/licences.md), by capability: ``keys`` (signing keys and
signers), ``issuing`` (a signed licence from a draft), ``lifecycle`` (revoke, annul, reissue, expire)
and ``use`` (uses, share links, verification). Callers import from here."""

from yiwang.licences.services.issuing import (
    HOLDER_NAME_MAX,
    ISSUE_ROLES,
    LICENCE_FIELD_TYPES,
    NUMBER_MAX,
    WITHDRAW_ROLES,
    LicenceDraft,
    _date_or_none,
    _draft_problems,
    _holder_account,
    _licence_row,
    _serial_text,
    _serials_reserve,
    holder_code_type,
    licence_data_problems,
    licence_issue,
    validity_until,
)
from yiwang.licences.services.keys import signed_content, signer_for, signing_key_for
from yiwang.licences.services.lifecycle import (
    _locked,
    _status_change,
    licence_annul,
    licence_reissue,
    licence_revoke,
    licences_expire,
)
from yiwang.licences.services.use import (
    SHARE_DAYS_MAX,
    _case_by_number,
    licence_number_reveal,
    licence_use_lookup,
    licence_use_record,
    share_link_create,
    share_link_open,
    share_link_revoke,
    verification_record,
)

__all__ = [
    "HOLDER_NAME_MAX", "ISSUE_ROLES", "LICENCE_FIELD_TYPES", "NUMBER_MAX", "SHARE_DAYS_MAX", "WITHDRAW_ROLES",
    "LicenceDraft", "_case_by_number", "_date_or_none", "_draft_problems", "_holder_account", "_licence_row",
    "_locked", "_serial_text", "_serials_reserve", "_status_change", "holder_code_type", "licence_annul",
    "licence_data_problems", "licence_issue", "licence_number_reveal", "licence_reissue", "licence_revoke",
    "licence_use_lookup", "licence_use_record", "licences_expire", "share_link_create", "share_link_open",
    "share_link_revoke", "signed_content", "signer_for", "signing_key_for", "validity_until", "verification_record",
]  # fmt: skip
