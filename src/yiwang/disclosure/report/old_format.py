"""The older format of seed 004 (Taizhou 2016): one statistics table, rows 一 to 九 as the form words them,
in nine queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from yiwang.disclosure.choices import (
    AppealKind,
    AppealOutcome,
    Channel,
    ClockEventKind,
    Ground,
    ItemKind,
    MeetingKind,
    Outcome,
    RequestChannel,
    ResponseKind,
)
from yiwang.disclosure.models import (
    ClockEvent,
    DisclosureComplaint,
    DisclosureRequest,
    ItemChannel,
    OfficeYear,
    ProactiveItem,
    PublicResponse,
    WorkMeeting,
)
from yiwang.disclosure.report.national import appeal_figures
from yiwang.disclosure.report.shape import (
    OUT,
    TEN_THOUSAND,
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


# Sums the 2016 table states: (total row, rows that add up to it). Row 3.3.7 (told to change or supplement)
# counts correction notices, a step before the reply rather than a reply, so it is outside the replies' sum.
SUMS_2016: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("3.1", ("3.1.1", "3.1.2", "3.1.3", "3.1.4")),
    ("3.2", ("3.2.1", "3.2.2")),
    ("3.3", ("3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6", "3.3.8", "3.3.x")),
    ("3.3.4", ("3.3.4.1", "3.3.4.2", "3.3.4.3", "3.3.4.4", "3.3.4.5", "3.3.4.6")),
    ("4", ("4.1", "4.2", "4.3", "4.x")),
    ("5", ("5.1", "5.2", "5.3", "5.x")),
    ("8.3", ("8.3.1", "8.3.2")),
)


@dataclass(frozen=True)
class Report2016(AnnualReport):
    """The older format: one statistics table, rows 一 to 九 as the 2016 form words them."""

    statistics: Table | None = None
    office_recorded: bool = True

    @property
    def sections(self) -> tuple[Section, ...]:
        assert self.statistics is not None
        return (Section("statistics", C("II. Statistics of government information disclosure"), (self.statistics,)),)

    @property
    def remarks(self) -> tuple[str, ...]:
        if self.office_recorded:
            return ()
        return (
            _("The office's staff and budget for %(year)s have not been recorded: row 八 shows zeros.")
            % {"year": self.year},
        )

    def check(self) -> list[str]:
        assert self.statistics is not None
        problems = []
        for total, parts in SUMS_2016:
            problem = sum_problem(self.statistics, total, parts)
            if problem:
                problems.append(problem)
        return problems


def _wan(amount: Any) -> Decimal:
    """Yuan as 10,000 yuan (万元), exact to the fen."""
    return (Decimal(amount or 0) / TEN_THOUSAND).quantize(Decimal("0.000001"))


def _figures_2016(body: Department, period: Period) -> dict[str, Value]:
    start, end = period.start, period.end
    since, before = period.instants()
    published = Q(published_at__gte=since, published_at__lt=before)
    items = ProactiveItem.objects.filter(body=body, status__in=OUT).aggregate(
        published=Count("pk", filter=published),
        normative_published=Count("pk", filter=published & Q(kind=ItemKind.NORMATIVE)),
        normative_issued=Count("pk", filter=Q(kind=ItemKind.NORMATIVE, issued_on__range=(start, end))),
    )
    channels = dict(
        ItemChannel.objects.filter(
            item__body=body, item__status__in=OUT, item__published_at__gte=since, item__published_at__lt=before
        )
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    responses = PublicResponse.objects.filter(body=body, on__range=(start, end)).aggregate(
        topics=Count("topic", distinct=True),
        press=Count("pk", filter=Q(kind=ResponseKind.PRESS_CONFERENCE)),
        press_principal=Count("pk", filter=Q(kind=ResponseKind.PRESS_CONFERENCE, principal_attended=True)),
        interviews=Count("pk", filter=Q(kind=ResponseKind.ONLINE_INTERVIEW)),
        interviews_principal=Count("pk", filter=Q(kind=ResponseKind.ONLINE_INTERVIEW, principal_attended=True)),
        interpretations=Count("pk", filter=Q(kind=ResponseKind.INTERPRETATION)),
        social=Count("pk", filter=Q(kind=ResponseKind.SOCIAL_MEDIA)),
        other=Count("pk", filter=Q(kind=ResponseKind.OTHER)),
    )
    received = Q(received_on__range=(start, end))
    replied = Q(reply__replied_on__range=(start, end))

    def answered(outcome: str, *grounds: str) -> Any:
        condition = replied & Q(reply__outcome=outcome)
        if grounds:
            condition &= Q(reply__ground__in=grounds)
        return Count("pk", filter=condition)

    requests = (
        DisclosureRequest.objects.filter(body=body)
        .filter(received | replied)
        .aggregate(
            received=Count("pk", filter=received),
            **{f"channel_{c}": Count("pk", filter=received & Q(channel=c)) for c in RequestChannel.values},
            replied=Count("pk", filter=replied),
            on_time=Count("pk", filter=replied & Q(reply__on_time=True, reply__extended=False)),
            extended=Count("pk", filter=replied & Q(reply__extended=True)),
            already_public=answered(Outcome.ALREADY_PUBLIC),
            provided=answered(Outcome.PROVIDED),
            partly=answered(Outcome.PARTLY),
            refused=answered(Outcome.REFUSED),
            state_secret=answered(Outcome.REFUSED, Ground.STATE_SECRET),
            trade_secret=answered(Outcome.REFUSED, Ground.THIRD_PARTY_TRADE_SECRET),
            privacy=answered(Outcome.REFUSED, Ground.THIRD_PARTY_PRIVACY),
            three_securities=answered(Outcome.REFUSED, Ground.THREE_SECURITIES),
            not_information=answered(
                Outcome.REFUSED, Ground.INTERNAL_AFFAIRS, Ground.PROCESS_INFORMATION, Ground.ENFORCEMENT_FILES,
                Ground.ADMINISTRATIVE_INQUIRY,
            ),
            prohibited=answered(Outcome.REFUSED, Ground.PROHIBITED_BY_LAW),
            not_this_body=answered(Outcome.CANNOT, Ground.NOT_THIS_BODY),
            not_held=answered(Outcome.CANNOT, Ground.NOT_HELD),
            other_route=Count("pk", filter=replied & (Q(reply__outcome=Outcome.NOT_HANDLED)
                                                      | Q(reply__outcome=Outcome.OTHER,
                                                          reply__ground=Ground.SPECIAL_LAW))),
            needs_processing=answered(Outcome.CANNOT, Ground.NEEDS_PROCESSING),
            unclear=answered(Outcome.CANNOT, Ground.UNCLEAR),
            not_corrected=answered(Outcome.OTHER, Ground.NOT_CORRECTED),
            fee_unpaid=answered(Outcome.OTHER, Ground.FEE_UNPAID),
            other_other=answered(Outcome.OTHER, Ground.OTHER),
            fees=Sum("reply__fee", filter=replied),
        )
    )  # fmt: skip
    corrections = (
        ClockEvent.objects.filter(request__body=body, kind=ClockEventKind.CORRECTION_REQUESTED, on__range=(start, end))
        .values("request_id")
        .distinct()
        .count()
    )
    appeals = appeal_figures(body, period)
    reconsideration: dict[str, int] = defaultdict(int)
    litigation: dict[str, int] = defaultdict(int)
    for (kind, _after), counts in appeals.items():
        target = reconsideration if kind == AppealKind.RECONSIDERATION else litigation
        for name, value in counts.items():
            target[name] += value
    complaints = DisclosureComplaint.objects.filter(body=body, received_on__range=(start, end)).count()
    office = OfficeYear.objects.filter(body=body, year=period.year).first()
    meetings = WorkMeeting.objects.filter(body=body, on__range=(start, end)).aggregate(
        meetings=Count("pk", filter=Q(kind=MeetingKind.MEETING)),
        trainings=Count("pk", filter=Q(kind=MeetingKind.TRAINING)),
        trained=Sum("attendees", filter=Q(kind=MeetingKind.TRAINING)),
    )
    unplaced = sum(as_int(requests[k]) for k in ("needs_processing", "unclear", "not_corrected", "fee_unpaid",
                                               "other_other"))  # fmt: skip
    return {
        "1.1": items["published"],
        "1.1.a": items["normative_published"],
        "1.1.b": items["normative_issued"],
        "1.2.1": channels.get(Channel.GAZETTE, 0),
        "1.2.2": channels.get(Channel.WEBSITE, 0),
        "1.2.3": channels.get(Channel.WEIBO, 0),
        "1.2.4": channels.get(Channel.WECHAT, 0),
        "1.2.5": channels.get(Channel.OTHER, 0),
        "2.1": responses["topics"],
        "2.2.1": responses["press"],
        "2.2.1.a": responses["press_principal"],
        "2.2.2": responses["interviews"],
        "2.2.2.a": responses["interviews_principal"],
        "2.2.3": responses["interpretations"],
        "2.2.4": responses["social"],
        "2.2.5": responses["other"],
        "3.1": requests["received"],
        "3.1.1": requests[f"channel_{RequestChannel.IN_PERSON}"],
        "3.1.2": requests[f"channel_{RequestChannel.FAX}"],
        "3.1.3": requests[f"channel_{RequestChannel.ONLINE}"],
        "3.1.4": requests[f"channel_{RequestChannel.LETTER}"],
        "3.2": requests["replied"],
        "3.2.1": requests["on_time"],
        "3.2.2": requests["extended"],
        "3.3": requests["replied"],
        "3.3.1": requests["already_public"],
        "3.3.2": requests["provided"],
        "3.3.3": requests["partly"],
        "3.3.4": requests["refused"],
        "3.3.4.1": requests["state_secret"],
        "3.3.4.2": requests["trade_secret"],
        "3.3.4.3": requests["privacy"],
        "3.3.4.4": requests["three_securities"],
        "3.3.4.5": requests["not_information"],
        "3.3.4.6": requests["prohibited"],
        "3.3.5": requests["not_this_body"],
        "3.3.6": requests["not_held"],
        "3.3.7": corrections,
        "3.3.8": requests["other_route"],
        "3.3.x": unplaced,
        "3.3.x.1": requests["needs_processing"],
        "3.3.x.2": requests["unclear"],
        "3.3.x.3": requests["not_corrected"],
        "3.3.x.4": requests["fee_unpaid"],
        "3.3.x.5": requests["other_other"],
        "4": reconsideration["total"],
        "4.1": reconsideration[AppealOutcome.UPHELD],
        "4.2": reconsideration[AppealOutcome.CORRECTED],
        "4.3": reconsideration[AppealOutcome.OTHER],
        "4.x": reconsideration[AppealOutcome.PENDING],
        "5": litigation["total"],
        "5.1": litigation[AppealOutcome.UPHELD],
        "5.2": litigation[AppealOutcome.CORRECTED],
        "5.3": litigation[AppealOutcome.OTHER],
        "5.x": litigation[AppealOutcome.PENDING],
        "6": complaints,
        "7": _wan(requests["fees"]),
        "8.1": office.offices if office else 0,
        "8.2": office.reading_points if office else 0,
        "8.3": (office.full_time_staff + office.part_time_staff) if office else 0,
        "8.3.1": office.full_time_staff if office else 0,
        "8.3.2": office.part_time_staff if office else 0,
        "8.4": Decimal(office.budget) if office else Decimal(0),
        "9.1": meetings["meetings"],
        "9.2": meetings["trainings"],
        "9.3": as_int(meetings["trained"]),
        "_office": 1 if office else 0,
    }


def _rows_2016() -> list[tuple[str, str, str, int, str, str, bool]]:
    """(code, number, wording, level, unit, note, extra): the 2016 form, row by row."""
    piece, item, times, article = C("pieces"), C("items"), C("times"), C("articles")
    unit, person, person_times, wan = C("units"), C("persons"), C("person-times"), C("10,000 yuan")
    dash = "—"
    x = True  # a row the form does not have
    return [
        ("1", "一、", C("Proactive disclosure"), 0, dash, "", False),
        ("1.1", "（一）", C("Government information disclosed proactively"), 1, item,
         C("(the same information disclosed through several channels counts once)"), False),
        ("1.1.a", "", C("of which: normative documents disclosed proactively"), 2, item, "", False),
        ("1.1.b", "", C("Normative documents issued in all"), 2, piece, "", False),
        ("1.2", "（二）", C("Disclosure through the various channels"), 1, dash, "", False),
        ("1.2.1", "1. ", C("Government information disclosed in the government gazette"), 2, item, "", False),
        ("1.2.2", "2. ", C("Government information disclosed on the government website"), 2, item, "", False),
        ("1.2.3", "3. ", C("Government information disclosed on government Weibo"), 2, item, "", False),
        ("1.2.4", "4. ", C("Government information disclosed on government WeChat"), 2, item, "", False),
        ("1.2.5", "5. ", C("Government information disclosed in other ways"), 2, item, "", False),
        ("2", "二、", C("Responses and interpretation"), 0, dash, "", False),
        ("2.1", "（一）", C("Responses to matters of public concern or major public opinion"), 1, times,
         C("(one matter answered in several ways counts once)"), False),
        ("2.2", "（二）", C("Responses and interpretation through the various channels"), 1, dash, "", False),
        ("2.2.1", "1. ", C("Press conferences held or attended"), 2, times, "", False),
        ("2.2.1.a", "", C("of which: press conferences the principal attended"), 3, times, "", False),
        ("2.2.2", "2. ", C("Online interviews on the government website"), 2, times, "", False),
        ("2.2.2.a", "", C("of which: online interviews the principal attended"), 3, times, "", False),
        ("2.2.3", "3. ", C("Policy interpretations published"), 2, article, "", False),
        ("2.2.4", "4. ", C("Events answered on Weibo or WeChat"), 2, times, "", False),
        ("2.2.5", "5. ", C("Events answered in other ways"), 2, times, "", False),
        ("3", "三、", C("Disclosure on request"), 0, dash, "", False),
        ("3.1", "（一）", C("Requests received"), 1, piece, "", False),
        ("3.1.1", "1. ", C("Requests made in person"), 2, piece, "", False),
        ("3.1.2", "2. ", C("Requests made by fax"), 2, piece, "", False),
        ("3.1.3", "3. ", C("Requests made online"), 2, piece, "", False),
        ("3.1.4", "4. ", C("Requests made by letter"), 2, piece, "", False),
        ("3.2", "（二）", C("Requests concluded"), 1, piece, "", False),
        ("3.2.1", "1. ", C("Concluded on time"), 2, piece, "", False),
        ("3.2.2", "2. ", C("Concluded after an extension"), 2, piece, "", False),
        ("3.3", "（三）", C("Replies given"), 1, piece, "", False),
        ("3.3.1", "1. ", C("Already disclosed proactively"), 2, piece, "", False),
        ("3.3.2", "2. ", C("Replies agreeing to disclose"), 2, piece, "", False),
        ("3.3.3", "3. ", C("Replies agreeing to disclose in part"), 2, piece, "", False),
        ("3.3.4", "4. ", C("Replies refusing disclosure"), 2, piece, "", False),
        ("3.3.4.1", "", C("of which: involving state secrets"), 3, piece, "", False),
        ("3.3.4.2", "", C("involving trade secrets"), 3, piece, "", False),
        ("3.3.4.3", "", C("involving personal privacy"), 3, piece, "", False),
        ("3.3.4.4", "", C("endangering national security, public security, economic security or social "
                          "stability"), 3, piece, "", False),
        ("3.3.4.5", "", C("not government information as the Regulations define it"), 3, piece, "", False),
        ("3.3.4.6", "", C("other cases provided by laws and regulations"), 3, piece, "", False),
        ("3.3.5", "5. ", C("Not for this administrative body to disclose"), 2, piece, "", False),
        ("3.3.6", "6. ", C("The information requested does not exist"), 2, piece, "", False),
        ("3.3.7", "7. ", C("Told to change or supplement the request"), 2, piece,
         C("(correction notices sent in the year; the request's reply is counted in its own row)"), False),
        ("3.3.8", "8. ", C("Told to use another channel"), 2, piece, "", False),
        ("3.3.x", "", C("Replies the rows above cannot place"), 2, piece, "", x),
        ("3.3.x.1", "", C("of which: no existing information, it would have to be newly made"), 3, piece, "", x),
        ("3.3.x.2", "", C("still unclear after correction"), 3, piece, "", x),
        ("3.3.x.3", "", C("not corrected in time"), 3, piece, "", x),
        ("3.3.x.4", "", C("fee not paid in time"), 3, piece, "", x),
        ("3.3.x.5", "", C("other handling"), 3, piece, "", x),
        ("4", "四、", C("Administrative reconsiderations"), 0, piece, "", False),
        ("4.1", "（一）", C("Specific administrative acts upheld"), 1, piece, "", False),
        ("4.2", "（二）", C("Corrected according to law"), 1, piece, "", False),
        ("4.3", "（三）", C("Other results"), 1, piece, "", False),
        ("4.x", "", C("Not yet concluded on 31 December"), 1, piece, "", x),
        ("5", "五、", C("Administrative lawsuits"), 0, piece, "", False),
        ("5.1", "（一）", C("Specific administrative acts upheld or the claim dismissed"), 1, piece, "", False),
        ("5.2", "（二）", C("Corrected according to law"), 1, piece, "", False),
        ("5.3", "（三）", C("Other results"), 1, piece, "", False),
        ("5.x", "", C("Not yet concluded on 31 December"), 1, piece, "", x),
        ("6", "六、", C("Reports and complaints"), 0, piece, "", False),
        ("7", "七、", C("Fees collected for disclosure on request"), 0, wan, "", False),
        ("8", "八、", C("Organisation and funding"), 0, dash, "", False),
        ("8.1", "（一）", C("Offices dedicated to government information disclosure"), 1, unit, "", False),
        ("8.2", "（二）", C("Reading points for government information"), 1, unit, "", False),
        ("8.3", "（三）", C("Staff working on government information disclosure"), 1, person, "", False),
        ("8.3.1", "1. ", C("Full-time staff (not counting the staff of the gazette and the website)"), 2, person, "",
         False),
        ("8.3.2", "2. ", C("Part-time staff"), 2, person, "", False),
        ("8.4", "（四）", C("Dedicated funding for government information disclosure (not counting the gazette's "
                          "editing and the website's building and upkeep)"), 1, wan, "", False),
        ("9", "九、", C("Meetings and training"), 0, dash, "", False),
        ("9.1", "（一）", C("Work meetings or special meetings on government information disclosure"), 1, times, "",
         False),
        ("9.2", "（二）", C("Training courses held"), 1, times, "", False),
        ("9.3", "（三）", C("People trained"), 1, person_times, "", False),
    ]  # fmt: skip


def report_2016(body: Department, year: int) -> Report2016:
    """The annual report in the 2016 format for ``body`` and ``year``: nine queries."""
    figures = _figures_2016(body, Period(year))
    lines = tuple(
        Line(code, number, label, (figures.get(code),), level=level, unit=unit, note=note, extra=extra)
        for code, number, label, level, unit, note, extra in _rows_2016()
    )
    statistics = Table(
        code="statistics",
        caption=C("Statistics of government information disclosure (%(year)s)") % {"year": year},
        stub=C("Indicator"),
        columns=(Column("value", C("Figure")),),
        lines=lines,
        units=True,
        note=_(
            "Rows marked ※ are not in the 2016 form: the replies and appeals its rows cannot place, shown so "
            "that the totals add up."
        ),
    )
    return Report2016(
        body_id=body.pk,
        body_name=body.name,
        year=year,
        format="2016",
        statistics=statistics,
        office_recorded=bool(figures["_office"]),
    )
