"""Written notices of a case as PDF (行政许可法 §32, §38): 受理通知书, 不予受理通知书, 补正材料通知书
(一次性告知), 容缺受理告知书, 准予 / 不予行政许可决定书 — each with the case number, dates, legal basis,
the issuing department and a QR code for looking up progress."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table, TableStyle

from yiwang.cases.models import CaseStatus, Decision, MaterialState
from yiwang.core.errors import Conflict
from yiwang.core.pdf import document, paragraph, table

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from yiwang.cases.models import Case


@dataclass(frozen=True)
class NoticeKind:
    key: str
    title: str | Promise
    # The statuses (past or present) in which the notice exists.
    after: tuple[str, ...]


NOTICES = {
    n.key: n
    for n in (
        NoticeKind("acceptance", gettext_lazy("Notice of acceptance"), ("accept",)),
        NoticeKind("refusal", gettext_lazy("Notice of refusal to accept"), ("refuse",)),
        NoticeKind("correction", gettext_lazy("Notice of materials to correct"), ("request_correction",)),
        NoticeKind("pending", gettext_lazy("Notice of acceptance with pending materials"), ("accept_pending",)),
        NoticeKind("decision", gettext_lazy("Decision"), ("decide",)),
        NoticeKind("result", gettext_lazy("Electronic result"), ("conclude",)),
    )
}
REMEDY = gettext_lazy(
    "If you disagree with this decision you may apply for administrative reconsideration within 60 days of "
    "receiving it, or bring an administrative lawsuit within 6 months."
)


def notices_available(case: Case) -> list[str]:
    done = set(case.events.values_list("action", flat=True))
    granted = case.decision == Decision.APPROVE
    return [key for key, kind in NOTICES.items() if done & set(kind.after) and (key != "result" or granted)]


def progress_url(case: Case) -> str:
    return f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/progress/?number={case.number}"


def _qr(case: Case, url: str = "") -> Image:
    buffer = io.BytesIO()
    segno.make(url or progress_url(case), error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=26 * mm, height=26 * mm)


# Other contexts add a code to a notice here (the rating link of 好差评): a function of the case and the
# notice's key giving (address, caption) or None; cases depends on none of them.
_NOTICE_CODES: list[Callable[[Case, str], tuple[str, str] | None]] = []


def notice_code_register(provider: Callable[[Case, str], tuple[str, str] | None]) -> None:
    _NOTICE_CODES.append(provider)


def _body(case: Case, key: str) -> list[object]:
    item = case.version.name
    submitted = timezone.localdate(case.submitted_at)
    opening = _("On %(date)s you applied for %(item)s.") % {"date": f"{submitted:%Y年%m月%d日}", "item": item}
    story: list[object] = []
    if key == "acceptance":
        story.append(
            paragraph(
                opening
                + _(
                    " The materials are complete and in the legal form; under 行政许可法 §32(1)(5) the application "
                    "is accepted. A decision will be made by %(due)s (%(n)s working days promised)."
                )
                % {"due": f"{case.due_on:%Y年%m月%d日}" if case.due_on else "", "n": case.version.promised_limit},
                "letter",
            )
        )
    elif key == "refusal":
        story.append(
            paragraph(
                opening
                + _(" %(reason)s Under %(basis)s the application is not accepted.")
                % {"reason": case.refusal_reason, "basis": case.decision_basis},
                "letter",
            )
        )
        if case.competent_authority:
            story.append(
                paragraph(_("Please apply to %(authority)s.") % {"authority": case.competent_authority}, "letter")
            )
        story.append(paragraph(str(REMEDY), "letter"))
    elif key == "correction":
        pause = case.pauses.filter(kind="correction").order_by("-started_at").first()
        story.append(
            paragraph(
                opening
                + _(
                    " The materials are incomplete or not in the legal form. Under 行政许可法 §32(1)(4) you are "
                    "told, once and for all, everything to correct:"
                ),
                "letter",
            )
        )
        rows: list[list[object]] = [[_("No."), _("Material"), _("What to correct")]]
        rows += [[i, entry["material"], entry["problem"]] for i, entry in enumerate(pause.items if pause else [], 1)]
        story += [Spacer(1, 4), table(rows, [14 * mm, 70 * mm, 90 * mm]), Spacer(1, 6)]
        story.append(paragraph(_("The time limit starts when the corrected materials are received."), "letter"))
    elif key == "pending":
        names = "、".join(
            m.requirement.name for m in case.materials.select_related("requirement").filter(state=MaterialState.PENDING)
        )
        story.append(
            paragraph(
                opening
                + _(
                    " The basic conditions are met and the application is accepted on your written promise. "
                    "Supply %(names)s by %(until)s; if they do not arrive in time the application is treated "
                    "as withdrawn."
                )
                % {"names": names or "—", "until": f"{case.pending_until:%Y年%m月%d日}" if case.pending_until else ""},
                "letter",
            )
        )
    elif key == "result":
        story.append(
            paragraph(
                opening
                + _(" The application was granted; this is the electronic copy of the result.")
                + " "
                + _("Result: %(name)s. Number: %(number)s.")
                % {"name": case.result_name or item, "number": case.result_number or case.number},
                "letter",
            )
        )
        story.append(paragraph(_("Scan the code to check that this result is genuine."), "letter"))
    elif key == "decision":
        opinion = case.events.filter(action="decide").values_list("opinion", flat=True).last() or ""
        granted = case.decision == Decision.APPROVE
        story.append(
            paragraph(
                opening
                + (
                    _(" After review (%(opinion)s), the licence is granted.")
                    if granted
                    else _(" After review (%(opinion)s), the licence is not granted.")
                )
                % {"opinion": opinion},
                "letter",
            )
        )
        if case.decision_basis:
            story.append(paragraph(_("Basis: %(basis)s") % {"basis": case.decision_basis}, "letter"))
        if not granted:
            story.append(paragraph(str(REMEDY), "letter"))
    return story


def notice_pdf(case: Case, key: str) -> bytes:
    """The notice ``key`` of ``case``; refused (409) if the case never reached that point."""
    kind = NOTICES.get(key)
    if kind is None or key not in notices_available(case):
        raise Conflict(_("This case has no such notice."), code="no_such_notice")
    title = str(kind.title)
    if key == "decision":
        title = (
            _("Decision to grant the licence")
            if case.decision == Decision.APPROVE
            else _("Decision not to grant the licence")
        )
    buffer = io.BytesIO()
    doc = document(buffer, f"{title} {case.number}")
    story: list[object] = [
        paragraph(case.department.name, "title"),
        paragraph(title, "notice_title"),
        paragraph(_("No. %(number)s") % {"number": case.number}, "subtitle"),
        Spacer(1, 14),
        paragraph(f"{case.applicant_name}：", "body"),
        Spacer(1, 4),
        *_body(case, key),
        Spacer(1, 24),
    ]
    seal = _("seal")
    signature = [
        paragraph(f"{case.department.name}（{seal}）", "right"),
        paragraph(f"{timezone.localdate():%Y年%m月%d日}", "right"),
    ]
    footer = Table(
        [[_qr(case), [paragraph(_("Scan to follow the progress of your application."), "cell")], signature]],
        colWidths=[30 * mm, 60 * mm, 84 * mm],
    )
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story.append(footer)
    for provider in _NOTICE_CODES:
        code = provider(case, key)
        if code is not None:
            extra = Table([[_qr(case, code[0]), [paragraph(code[1], "cell")]]], colWidths=[30 * mm, 144 * mm])
            extra.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            story += [Spacer(1, 8), extra]
    doc.build(story)
    return buffer.getvalue()


__all__ = ["NOTICES", "CaseStatus", "notice_code_register", "notice_pdf", "notices_available", "progress_url"]
