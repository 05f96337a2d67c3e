"""API: 电子监察 and the KPIs under /api/v1/oversight/ — the KPI definitions with their formulas, the KPIs of
a period by any grouping, cards by department and window and the cards themselves, the exceptions list,
and the window assessment of a month."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yiwang.accounts.api_auth import api_auth
from yiwang.core.api_support import ErrorOut
from yiwang.core.errors import raise_problems
from yiwang.core.shell import acting_user_with
from yiwang.oversight import assessment, kpis, selectors
from yiwang.oversight.models import Card

if TYPE_CHECKING:
    from yiwang.accounts.models import User

router = Router(tags=["oversight"], auth=api_auth)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class KpiDefinitionOut(Schema):
    code: str
    label: str
    numerator: str
    denominator: str = Field("", description="empty for a count; a rate (percent) otherwise")


class KpiQuery(Schema):
    start: date
    end: date
    group: str = Field("", pattern="^(|department|region|window|item|channel|month)$")
    department: int | None = None
    region: str = Field("", max_length=12, description="region code: the region and everything below it")
    window: int | None = None
    item: int | None = Field(None, description="an implementation id")


class KpiRowOut(Schema):
    group: str
    values: dict[str, float | None] = Field(..., description="every KPI by its code")
    counts: dict[str, float] = Field(..., description="the summed counts behind them")


class CardCountOut(Schema):
    id: int | None
    name: str
    yellow: int
    red: int
    hotline_yellow: int = 0
    hotline_red: int = 0


class CardOut(Schema):
    id: int
    case: str = Field(..., alias="case.number")
    rule: str
    colour: str
    department: str = Field(..., alias="department.name")
    window: str | None = Field(None, alias="window.number")
    detail: str
    issued_at: datetime


class CaseRefOut(Schema):
    number: str
    item: str = Field(..., alias="version.name")
    department: str = Field(..., alias="department.name")
    due_on: date | None


class RefusalOut(Schema):
    item: str | None
    department: str | None
    refused: int
    received: int
    share: float


class ExceptionsOut(Schema):
    overdue_count: int
    overdue: list[CaseRefOut]
    repeated_corrections: list[CaseRefOut]
    many_refusals: list[RefusalOut]
    early: list[CaseRefOut]


class WindowScoreOut(Schema):
    rank: int
    window: str
    group: str
    score: float
    served: int
    satisfaction: float | None
    average_wait: float | None
    on_time: float | None
    yellow: int
    red: int
    parts: dict[str, float]


def _reader(request: HttpRequest) -> "User":
    return acting_user_with(request, kpis.READER_ROLES)


def _filters(query: KpiQuery) -> kpis.Filters:
    from yiwang.organisation.selectors import region_path

    if query.end < query.start:
        raise_problems([("end", _("The end of the period is before its start."))])
    region = None
    if query.region:
        region = region_path(code=query.region)
        if region is None:
            raise_problems([("region", _("No area has this code."))])
    return kpis.Filters(query.start, query.end, query.department, region, query.window, query.item)


@router.get("/kpis/definitions", response=list[KpiDefinitionOut], auth=None, summary="Every KPI and its formula")
def definitions(request: HttpRequest) -> list[KpiDefinitionOut]:
    return [
        KpiDefinitionOut(code=k.code, label=str(k.label), numerator=k.numerator, denominator=k.denominator)
        for k in kpis.KPIS
    ]


@router.get("/kpis", response={200: list[KpiRowOut], **ERRORS}, summary="KPIs of a period (formulas: oversight.kpis)")
def kpi_table(request: HttpRequest, query: Query[KpiQuery]) -> list[KpiRowOut]:
    user = _reader(request)
    table = kpis.kpi_table(user, _filters(query), group=query.group)
    if not query.group:
        return [KpiRowOut(group="all", values=table.values(), counts=dict(table.rows.get(kpis.ALL, {})))]
    return [KpiRowOut(group=label, values=values, counts=counts) for label, values, counts in table.ordered()]


@router.get("/cards/by-department", response={200: list[CardCountOut], **ERRORS}, summary="Cards per department")
def cards_by_department(request: HttpRequest, query: Query[KpiQuery]) -> list[dict[str, Any]]:
    return selectors.cards_by_department(_reader(request), _filters(query))


@router.get("/cards/by-window", response={200: list[CardCountOut], **ERRORS}, summary="Cards per window")
def cards_by_window(request: HttpRequest, query: Query[KpiQuery]) -> list[dict[str, Any]]:
    return selectors.cards_by_window(_reader(request), _filters(query))


@router.get("/cards", response={200: list[CardOut], **ERRORS}, summary="The cards (drill-down)")
def cards(request: HttpRequest, query: Query[KpiQuery], colour: str = "") -> list[Card]:
    filters = _filters(query)
    return selectors.cards_list(
        _reader(request), filters, department=filters.department, window=filters.window, colour=colour
    )


@router.get("/exceptions", response={200: ExceptionsOut, **ERRORS}, summary="The exceptions list")
def exceptions(request: HttpRequest, query: Query[KpiQuery]) -> selectors.Exceptions:
    return selectors.exceptions(_reader(request), _filters(query))


@router.get("/windows/{month}", response={200: list[WindowScoreOut], **ERRORS}, summary="Window assessment")
def windows(request: HttpRequest, month: str) -> list[WindowScoreOut]:
    """``month`` as YYYY-MM; the first row is the month's 流动红旗窗口."""
    user = _reader(request)
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise_problems([("month", _("The month is not a month (write YYYY-MM)."))])
        raise  # unreachable: raise_problems raised
    return [
        WindowScoreOut(
            rank=s.rank, window=s.window, group=s.group, score=s.score, served=s.served, satisfaction=s.satisfaction,
            average_wait=s.average_wait, on_time=s.on_time, yellow=s.yellow, red=s.red, parts=s.parts,
        )
        for s in assessment.month_scores(first, user)
    ]  # fmt: skip
