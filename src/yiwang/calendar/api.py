"""Public calendar API for other government systems: the year's exceptions, and deadlines."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.calendar.workdays import MAX_WORKDAYS, add_working_days, year_exceptions
from yiwang.core.api_support import Day, ErrorOut

router = Router(tags=["calendar"])

MIN_YEAR, MAX_YEAR = 2000, 2100


class DayOut(Schema):
    date: datetime.date
    working: bool
    reason: str


class YearOut(Schema):
    year: int
    provisional: bool = Field(description="true when the year's schedule is not known and Monday-Friday was assumed")
    days: list[DayOut] = Field(description="every day that differs from Monday to Friday, with its reason")


class YearQuery(Schema):
    year: int = Field(..., ge=MIN_YEAR, le=MAX_YEAR)


class DeadlineQuery(Schema):
    start: Day = Field(..., description="the day of acceptance (day 0)")
    workdays: int = Field(..., ge=0, le=MAX_WORKDAYS)


class DeadlineOut(Schema):
    deadline: datetime.date
    provisional: bool


@router.get(
    "/days",
    response={200: YearOut, 422: ErrorOut},
    auth=None,
    summary="Holidays and make-up working days of a year",
)
def calendar_days(request: HttpRequest, query: Query[YearQuery]) -> YearOut:
    days, provisional = year_exceptions(query.year)
    return YearOut(
        year=query.year,
        provisional=provisional,
        days=[DayOut(date=d.date, working=d.working, reason=d.reason) for d in days],
    )


@router.get(
    "/deadline",
    response={200: DeadlineOut, 422: ErrorOut},
    auth=None,
    summary="The end of N working days after a start date",
)
def calendar_deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlineOut:
    result = add_working_days(query.start, query.workdays)
    return DeadlineOut(deadline=result.date, provisional=result.provisional)
