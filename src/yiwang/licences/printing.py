"""The licence as a PDF the holder can download, print or show: its data, the identifier, the
issuer, the signature, and a QR code of the public verification page."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer

from yiwang.core.pdf import document, paragraph, table
from yiwang.licences.models import Licence


def verify_url(licence: Licence) -> str:
    query = urlencode({"identifier": licence.identifier})
    return f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/licences/verify/?{query}"


def licence_pdf(licence: Licence) -> bytes:
    buffer = io.BytesIO()
    doc = document(buffer, f"{licence.name} {licence.number}")
    qr = io.BytesIO()
    segno.make(verify_url(licence), error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    rows: list[list[object]] = [
        [_("licence number"), licence.number],
        [_("holder"), licence.holder_name],
        [_("holder code"), licence.holder_code],
        [_("issued by"), licence.issuer.name],
        [_("issued on"), f"{licence.issued_on:%Y年%m月%d日}"],
        [_("valid until"), f"{licence.valid_until:%Y年%m月%d日}" if licence.valid_until else _("Long-term")],
    ]
    rows += [[str(key), str(value)] for key, value in licence.data.items()]
    story: list[object] = [
        paragraph(licence.name, "notice_title"),
        paragraph(f"{_('licence identifier')}：{licence.identifier}", "subtitle"),
        Spacer(1, 12),
        table(rows, [50 * mm, 124 * mm], header=False),
        Spacer(1, 12),
        Image(qr, width=30 * mm, height=30 * mm),
        paragraph(_("Scan the code to check that this licence is genuine and still valid."), "cell"),
        Spacer(1, 6),
        paragraph(f"{_('signature')}（SM2）：{licence.signature}", "cell"),
    ]
    doc.build(story)
    return buffer.getvalue()
