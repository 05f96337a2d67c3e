"""中标通知书 (招标投标法 §45) as a PDF: sent to the winning bidder once the tenderer awards, the result
told to every bidder not awarded; the contract follows within 30 days (§46, rules.contract_due).

The award is a record the platform signs (``AwardRecord``, like the closing and the opening record): the
notice states its SM3 and the signing key, and anyone checks the signature with the record and the key
from the API. Who may download it is selectors.award_notice_of's."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from yiwang.core.crypto import sm3_hex
from yiwang.core.pdf import document, paragraph, table
from yiwang.trading import rules
from yiwang.trading.choices import ProjectKind

if TYPE_CHECKING:
    from yiwang.trading.models import AwardRecord, Candidate, TradingProject


def tenderer_name(project: TradingProject) -> str:
    if project.tenderer_department is not None:
        return project.tenderer_department.name
    return project.tenderer_company.get_full_name() if project.tenderer_company else ""


def centre_name(project: TradingProject) -> str:
    return _("%(region)s Public Resource Trading Centre") % {"region": project.region.name}


def award_notice_pdf(project: TradingProject, winners: list[Candidate], record: AwardRecord | None = None) -> bytes:
    """The notice of an awarded project (``winners``: its awarded candidates, one per lot awarded;
    ``record``: the platform's signed award, cited at the foot)."""
    assert project.awarded_at is not None
    awarded_on = timezone.localdate(project.awarded_at)
    due = timezone.localdate(rules.contract_due(project.awarded_at))
    title = _("Award notice")
    names = list(dict.fromkeys(c.bid.bidder.get_full_name() for c in winners))
    rows: list[list[object]] = [
        [_("project code"), project.code],
        [_("project name"), project.title],
    ]
    for candidate in winners:
        bidder = candidate.bid.bidder
        price = candidate.price
        rows += [
            [_("lot"), f"{candidate.lot.number} {candidate.lot.title}"],
            [_("winning bidder"), bidder.get_full_name()],
            [_("unified social credit code"), bidder.credit_code or ""],
            [_("winning price (yuan)"), f"{price:.2f}" if price is not None else ""],
        ]
    rows += [
        [_("award date"), f"{awarded_on:%Y年%m月%d日}"],
        [_("contract to be signed by"), f"{due:%Y年%m月%d日}"],
        [_("tenderer"), tenderer_name(project)],
        [_("supervising department"), project.supervising_department.name],
    ]
    buffer = io.BytesIO()
    doc = document(buffer, f"{title} {project.code}")
    story: list[object] = [
        paragraph(centre_name(project), "title"),
        paragraph(title, "notice_title"),
        paragraph(_("Project %(code)s") % {"code": project.code}, "subtitle"),
        Spacer(1, 14),
        paragraph(f"{'、'.join(names)}：", "body"),
        Spacer(1, 4),
        paragraph(
            (
                _(
                    "After the evaluation of the responses for %(title)s, the purchaser has chosen yours from the "
                    "report's candidates in their order. Under 政府采购法实施条例 §43 you are hereby notified; the "
                    "result is announced and every supplier not chosen is told."
                )
                if project.kind == ProjectKind.PROCUREMENT
                else _(
                    "After the evaluation of the bids for %(title)s and the publicity of the candidates, the "
                    "tenderer has chosen your bid. Under 招标投标法 §45 you are hereby notified of the award; every "
                    "bidder not awarded is told the result."
                )
            )
            % {"title": project.title},
            "letter",
        ),
        Spacer(1, 6),
        table(rows, [50 * mm, 124 * mm], header=False),
        Spacer(1, 6),
        paragraph(
            _(
                "Sign the written contract with the tenderer by %(due)s, within 30 days of this notice, on the "
                "terms of the tender documents and your bid (招标投标法 §46)."
            )
            % {"due": f"{due:%Y年%m月%d日}"},
            "letter",
        ),
        Spacer(1, 24),
        paragraph(f"{_('tenderer')}：{tenderer_name(project)}（{_('seal')}）", "right"),
        paragraph(centre_name(project), "right"),
        paragraph(f"{awarded_on:%Y年%m月%d日}", "right"),
    ]
    if record is not None:
        story += [
            Spacer(1, 18),
            paragraph(
                _(
                    "Signed by the platform: award record SM3 %(digest)s, key %(key)s. Check the signature with "
                    "/api/v1/trading/projects/%(code)s/award-records and /api/v1/trading/platform-keys."
                )
                % {"digest": sm3_hex(record.content.encode()), "key": record.key.fingerprint, "code": project.code},
                "cell",
            ),
        ]
    doc.build(story)
    return buffer.getvalue()
