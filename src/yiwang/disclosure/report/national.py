"""The current national format (国办公开办函〔2021〕30号): tables 二 (proactive disclosure), 三 (requests by
requester kind) and 四 (reconsideration and litigation), in four queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yiwang.cases import selectors as case_selectors
from yiwang.disclosure.choices import AppealKind, AppealOutcome, Ground, ItemKind, Outcome, RequesterKind
from yiwang.disclosure.models import Appeal, DisclosureRequest, ProactiveItem
from yiwang.disclosure.report.shape import (
    OUT,
    AnnualReport,
    C,
    Column,
    Line,
    Period,
    Section,
    Table,
    Value,
    as_int,
    sum_problem,
)

if TYPE_CHECKING:
    from yiwang.organisation.models import Department


# The catalogue's item type whose cases are 行政许可 decisions (catalogue ItemType.LICENSING).
LICENSING_ITEM_TYPE = "licensing"

# Table 三's results: each group with the rows that add up to it; the groups add up to （七）总计.
RESULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("public", ()),
    ("partly", ()),
    ("refused", ("refused.1", "refused.2", "refused.3", "refused.4", "refused.5", "refused.6", "refused.7",
                 "refused.8")),
    ("cannot", ("cannot.1", "cannot.2", "cannot.3")),
    ("not_handled", ("not_handled.1", "not_handled.2", "not_handled.3", "not_handled.4", "not_handled.5")),
    ("other", ("other.1", "other.2", "other.3")),
)  # fmt: skip


def _request_rows() -> list[tuple[str, str, str, int, Q | None]]:
    """Table 三's rows: (code, number, wording, level, which of the year's replies it counts — None for the
    rows counted apart: new, carried over, the results' heading, the total, carried to next year)."""

    def reply(outcomes: Iterable[str], grounds: Iterable[str] | None = None) -> Q:
        q = Q(reply__outcome__in=list(outcomes))
        return q & Q(reply__ground__in=list(grounds)) if grounds is not None else q

    refused = (Outcome.REFUSED,)
    cannot = (Outcome.CANNOT,)
    not_handled = (Outcome.NOT_HANDLED,)
    other = (Outcome.OTHER,)
    return [
        ("new", "一、", C("New requests received this year"), 0, None),
        ("carried", "二、", C("Requests carried over from last year"), 0, None),
        ("results", "三、", C("Results this year"), 0, None),
        ("public", "（一）", C("Made public"), 1, reply((Outcome.ALREADY_PUBLIC, Outcome.PROVIDED))),
        ("partly", "（二）", C("Partly made public (a request handled in parts is counted here only)"), 1,
         reply((Outcome.PARTLY,))),
        ("refused", "（三）", C("Not made public"), 1, reply(refused)),
        ("refused.1", "1.", C("A state secret"), 2, reply(refused, (Ground.STATE_SECRET,))),
        ("refused.2", "2.", C("Disclosure prohibited by other laws or administrative regulations"), 2,
         reply(refused, (Ground.PROHIBITED_BY_LAW,))),
        ("refused.3", "3.", C("Would endanger the \"three securities and one stability\""), 2,
         reply(refused, (Ground.THREE_SECURITIES,))),
        ("refused.4", "4.", C("Protecting the lawful rights of a third party"), 2,
         reply(refused, (Ground.THIRD_PARTY_TRADE_SECRET, Ground.THIRD_PARTY_PRIVACY))),
        ("refused.5", "5.", C("Three kinds of internal-affairs information"), 2,
         reply(refused, (Ground.INTERNAL_AFFAIRS,))),
        ("refused.6", "6.", C("Four kinds of process information"), 2, reply(refused, (Ground.PROCESS_INFORMATION,))),
        ("refused.7", "7.", C("Administrative law-enforcement case files"), 2,
         reply(refused, (Ground.ENFORCEMENT_FILES,))),
        ("refused.8", "8.", C("Administrative inquiry matters"), 2, reply(refused, (Ground.ADMINISTRATIVE_INQUIRY,))),
        ("cannot", "（四）", C("Cannot be provided"), 1, reply(cannot)),
        ("cannot.1", "1.", C("This body does not hold the information"), 2,
         reply(cannot, (Ground.NOT_HELD, Ground.NOT_THIS_BODY))),
        ("cannot.2", "2.", C("No existing information; it would have to be newly made"), 2,
         reply(cannot, (Ground.NEEDS_PROCESSING,))),
        ("cannot.3", "3.", C("Still unclear after correction"), 2, reply(cannot, (Ground.UNCLEAR,))),
        ("not_handled", "（五）", C("Not handled"), 1, reply(not_handled)),
        ("not_handled.1", "1.", C("Petitions, reports and complaints"), 2, reply(not_handled, (Ground.PETITION,))),
        ("not_handled.2", "2.", C("Repeated requests"), 2, reply(not_handled, (Ground.REPEAT,))),
        ("not_handled.3", "3.", C("Requests for publications"), 2, reply(not_handled, (Ground.PUBLICATION,))),
        ("not_handled.4", "4.", C("Large numbers of repeated requests without good reason"), 2,
         reply(not_handled, (Ground.EXCESSIVE,))),
        ("not_handled.5", "5.", C("Requests to confirm or reissue information already obtained"), 2,
         reply(not_handled, (Ground.CONFIRM_OR_REISSUE,))),
        ("other", "（六）", C("Other handling"), 1, reply(other)),
        ("other.1", "1.", C("The requester did not correct the request in time without good reason, and the body "
                            "no longer handles it"), 2, reply(other, (Ground.NOT_CORRECTED,))),
        ("other.2", "2.", C("The requester did not pay the fee as notified in time, and the body no longer "
                            "handles the request"), 2, reply(other, (Ground.FEE_UNPAID,))),
        ("other.3", "3.", C("Other"), 2, reply(other, (Ground.SPECIAL_LAW, Ground.OTHER))),
        ("total", "（七）", C("Total"), 1, None),
        ("next", "四、", C("Carried over to next year"), 0, None),
    ]  # fmt: skip


APPEAL_OUTCOMES = (AppealOutcome.UPHELD, AppealOutcome.CORRECTED, AppealOutcome.OTHER, AppealOutcome.PENDING)


@dataclass(frozen=True)
class NationalReport(AnnualReport):
    """The 2021 national format: ``documents``, ``licensing``, ``penalties`` and ``fees`` make table 二,
    ``requests`` table 三, ``appeals`` table 四."""

    documents: Table | None = None
    licensing: Table | None = None
    penalties: Table | None = None
    fees: Table | None = None
    requests: Table | None = None
    appeals: Table | None = None

    @property
    def sections(self) -> tuple[Section, ...]:
        assert self.documents and self.licensing and self.penalties and self.fees and self.requests and self.appeals
        return (
            Section("2", C("II. Proactive disclosure of government information"),
                    (self.documents, self.licensing, self.penalties, self.fees)),
            Section("3", C("III. Requests for government information received and handled"), (self.requests,)),
            Section("4", C("IV. Administrative reconsideration and litigation about government information "
                           "disclosure"), (self.appeals,)),
        )  # fmt: skip

    def check(self) -> list[str]:
        assert self.requests is not None and self.appeals is not None
        problems: list[str] = []
        table = self.requests
        sums = [("total", [group for group, _parts in RESULT_GROUPS])]
        sums += [(group, list(parts)) for group, parts in RESULT_GROUPS if parts]
        for column in table.columns:
            new, carried, total, following = (
                as_int(table.value(code, column.key)) for code in ("new", "carried", "total", "next")
            )
            if new + carried != total + following:
                problems.append(
                    _(
                        "%(column)s: new (%(new)d) + carried over (%(carried)d) is not total (%(total)d) + "
                        "carried to next year (%(next)d)."
                    )
                    % {
                        "column": column.label,
                        "new": new,
                        "carried": carried,
                        "total": total,
                        "next": following,
                    }
                )
            for total_code, parts in sums:
                problem = sum_problem(table, total_code, parts, column)
                if problem:
                    problems.append(problem)
        kinds = [c for c in table.columns if c.key != "total"]
        total_column = table.columns[-1]
        for line in table.lines:
            if line.heading:
                continue
            added = sum(as_int(line.values[i]) for i in range(len(kinds)))
            if added != as_int(line.values[-1]):
                problems.append(
                    _("%(row)s (%(column)s) is %(value)s, but its rows add up to %(sum)s.")
                    % {"row": line.text, "column": total_column.label, "value": line.values[-1], "sum": added}
                )
        for line in self.appeals.lines:
            added = sum(as_int(v) for v in line.values[:-1])
            if added != as_int(line.values[-1]):
                problems.append(
                    _("%(row)s: the total %(total)s is not the sum of its results (%(sum)s).")
                    % {"row": line.text, "total": line.values[-1], "sum": added}
                )
        return problems


def _documents_table(body: Department, period: Period) -> tuple[Table, Table]:
    """Table 二: 规章 and 规范性文件 issued, repealed and in force at year end (§20(1)); 行政处罚 and 行政强制
    decisions formed in the year (§20(6)). One query."""
    start, end = period.start, period.end
    in_force = Q(issued_on__lte=end) & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
    figures: dict[str, Any] = {}
    for kind in (ItemKind.REGULATION, ItemKind.NORMATIVE):
        figures[f"{kind}_issued"] = Count("pk", filter=Q(kind=kind, issued_on__range=(start, end)))
        figures[f"{kind}_repealed"] = Count("pk", filter=Q(kind=kind, repealed_on__range=(start, end)))
        figures[f"{kind}_in_force"] = Count("pk", filter=Q(kind=kind) & in_force)
    for kind in (ItemKind.PENALTY, ItemKind.ENFORCEMENT):
        figures[f"{kind}_formed"] = Count("pk", filter=Q(kind=kind, formed_on__range=(start, end)))
    counts = ProactiveItem.objects.filter(body=body, status__in=OUT).aggregate(**figures)
    documents = Table(
        code="2.1",
        caption=C("Article 20(1)"),
        stub=C("Information"),
        columns=(
            Column("issued", C("Issued this year")),
            Column("repealed", C("Repealed this year")),
            Column("in_force", C("In force")),
        ),
        lines=tuple(
            Line(str(kind), "", label,
                 (counts[f"{kind}_issued"], counts[f"{kind}_repealed"], counts[f"{kind}_in_force"]))
            for kind, label in ((ItemKind.REGULATION, C("Rules")),
                                (ItemKind.NORMATIVE, C("Administrative normative documents")))
        ),
    )  # fmt: skip
    penalties = Table(
        code="2.3",
        caption=C("Article 20(6)"),
        stub=C("Information"),
        columns=(Column("decisions", C("Decisions this year")),),
        lines=(
            Line("penalty", "", C("Administrative penalties"), (counts[f"{ItemKind.PENALTY}_formed"],)),
            Line("enforcement", "", C("Administrative enforcement"), (counts[f"{ItemKind.ENFORCEMENT}_formed"],)),
        ),
        note=_("Penalty and enforcement decisions are the published items of those kinds formed in the year."),
    )
    return documents, penalties


def _licensing_table(body: Department, period: Period) -> Table:
    start, end = period.instants()
    decided = case_selectors.decisions_count(department=body, start=start, end=end, item_type=LICENSING_ITEM_TYPE)
    return Table(
        code="2.2",
        caption=C("Article 20(5)"),
        stub=C("Information"),
        columns=(Column("decisions", C("Decisions this year")),),
        lines=(Line("licensing", "", C("Administrative licensing"), (decided,)),),
        note=_("Licensing decisions are the body's cases of licensing items approved or not approved in the year."),
    )


def _fees_table() -> Table:
    return Table(
        code="2.4",
        caption=C("Article 20(8)"),
        stub=C("Information"),
        columns=(Column("amount", C("Amount collected this year (10,000 yuan)")),),
        lines=(Line("fees", "", C("Administrative and institutional fees"), (Decimal(0),)),),
        note=_(
            "The platform keeps no record of administrative fees collected: the amount is shown as 0 until the "
            "body's finance records give it."
        ),
    )


def _requests_table(body: Department, period: Period) -> Table:
    """Table 三 per requester kind, in one grouped query. A column is the requests' requester kind; the total
    column adds every kind (an unknown kind would show as a difference in ``check``)."""
    start, end = period.start, period.end
    replied_in_year = Q(reply__replied_on__range=(start, end))
    aggregates: dict[str, Any] = {
        "new": Count("pk", filter=Q(received_on__range=(start, end))),
        "carried": Count("pk", filter=Q(received_on__lt=start) & ~Q(replied_on__lt=start)),
        "next": Count("pk", filter=Q(received_on__lte=end) & ~Q(replied_on__lte=end)),
        "total": Count("pk", filter=replied_in_year),
    }  # fmt: skip
    rows = _request_rows()
    for code, _number, _label, _level, condition in rows:
        if condition is not None:
            aggregates[code.replace(".", "_")] = Count("pk", filter=replied_in_year & condition)
    grouped = (
        DisclosureRequest.objects.filter(body=body)
        .filter(Q(received_on__lte=end) | replied_in_year)
        .values("requester_kind")
        .annotate(**aggregates)
        .order_by()
    )
    by_kind: dict[str, dict[str, int]] = {}
    everyone: dict[str, int] = defaultdict(int)
    for group in cast("Iterable[Mapping[str, Any]]", grouped):
        figures = {key: int(group[key]) for key in aggregates}
        by_kind[group["requester_kind"]] = figures
        for key, value in figures.items():
            everyone[key] += value
    organisations = C("Legal persons or other organisations")
    columns = (
        Column(RequesterKind.NATURAL_PERSON.value, C("Natural persons")),
        Column(RequesterKind.COMPANY.value, C("Commercial enterprises"), organisations),
        Column(RequesterKind.RESEARCH.value, C("Research institutions"), organisations),
        Column(RequesterKind.PUBLIC_INTEREST.value, C("Public-interest organisations"), organisations),
        Column(RequesterKind.LEGAL_SERVICE.value, C("Legal-service organisations"), organisations),
        Column(RequesterKind.OTHER.value, C("Others"), organisations),
        Column("total", C("Total")),
    )
    lines = []
    for code, number, label, level, _condition in rows:
        if code == "results":
            values: tuple[Value, ...] = (None,) * len(columns)
        else:
            key = code.replace(".", "_")
            values = (*(by_kind.get(c.key, {}).get(key, 0) for c in columns[:-1]), everyone[key])
        lines.append(Line(code, number, label, values, level=level))
    return Table(
        code="3",
        caption=C("Requests for government information received and handled"),
        stub=C("Requesters"),
        columns=columns,
        lines=tuple(lines),
        note=C("Rows one and two together equal rows three (total) and four together in every column."),
    )


def appeal_figures(body: Department, period: Period) -> dict[tuple[str, bool], dict[str, int]]:
    """Appeals filed in the year against the body's replies, by kind and whether after reconsideration, with
    their outcome as it stood on 31 December (decided later: not yet concluded). One query."""
    start, end = period.start, period.end
    decided_by_end = Q(decided_on__isnull=False, decided_on__lte=end)
    aggregates: dict[str, Any] = {
        str(outcome): Count("pk", filter=Q(outcome=outcome) & decided_by_end)
        for outcome in APPEAL_OUTCOMES
        if outcome != AppealOutcome.PENDING
    }
    aggregates[str(AppealOutcome.PENDING)] = Count("pk", filter=~decided_by_end)
    aggregates["total"] = Count("pk")
    grouped = (
        Appeal.objects.filter(request__body=body, filed_on__range=(start, end))
        .values("kind", "after_reconsideration")
        .annotate(**aggregates)
        .order_by()
    )
    figures: dict[tuple[str, bool], dict[str, int]] = defaultdict(lambda: dict.fromkeys(aggregates, 0))
    for group in cast("Iterable[Mapping[str, Any]]", grouped):
        key = (group["kind"], bool(group["after_reconsideration"]))
        for name in aggregates:
            figures[key][name] += int(group[name])
    return figures


def _appeals_table(figures: Mapping[tuple[str, bool], Mapping[str, int]]) -> Table:
    columns = (
        Column(str(AppealOutcome.UPHELD), C("Upheld")),
        Column(str(AppealOutcome.CORRECTED), C("Corrected")),
        Column(str(AppealOutcome.OTHER), C("Other results")),
        Column(str(AppealOutcome.PENDING), C("Not yet concluded")),
        Column("total", C("Total")),
    )
    rows = (
        ("reconsideration", C("Administrative reconsideration"), (AppealKind.RECONSIDERATION, False)),
        ("litigation_direct", C("Administrative litigation: sued without reconsideration"),
         (AppealKind.LITIGATION, False)),
        ("litigation_after", C("Administrative litigation: sued after reconsideration"),
         (AppealKind.LITIGATION, True)),
    )  # fmt: skip
    empty = dict.fromkeys([c.key for c in columns], 0)
    lines = tuple(
        Line(code, "", label, tuple(figures.get((str(key[0]), key[1]), empty).get(c.key, 0) for c in columns))
        for code, label, key in rows
    )
    return Table(
        code="4",
        caption=C("Administrative reconsideration and litigation about government information disclosure"),
        stub=C("Kind"),
        columns=columns,
        lines=lines,
        note=_("Appeals filed in the year, with their result as it stood on 31 December."),
    )


def national_report(body: Department, year: int) -> NationalReport:
    """The annual report in the current national format for ``body`` and ``year``: four queries."""
    period = Period(year)
    documents, penalties = _documents_table(body, period)
    return NationalReport(
        body_id=body.pk,
        body_name=body.name,
        year=year,
        format="2021",
        documents=documents,
        licensing=_licensing_table(body, period),
        penalties=penalties,
        fees=_fees_table(),
        requests=_requests_table(body, period),
        appeals=_appeals_table(appeal_figures(body, period)),
    )
