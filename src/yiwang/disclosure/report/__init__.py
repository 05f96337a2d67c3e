"""The annual report on government information disclosure (年度报告, 条例 §49–§50), computed for one body and
one calendar year from its records, never typed (docs/disclosure.md §4).

Two formats, each the official form's rows and wording as data:

- ``national_report``: the current national format (国办公开办函〔2021〕30号), tables 二 (proactive), 三 (requests
  by requester kind) and 四 (reconsideration and litigation);
- ``report_2016``: the older single statistics table (seed 004, Taizhou 2016).

A report is a few aggregate queries (pinned in the tests), whatever the number of records. ``check()`` lists
what does not add up — for the 2021 table 三, new + carried over = results + carried to next year in every
column — so a report is published only when its figures agree. ``report_index`` lists the bodies with a
disclosure record and their years (the portal's list of annual reports)."""

from yiwang.disclosure.report.index import BodyYears, report_index
from yiwang.disclosure.report.national import NationalReport, national_report
from yiwang.disclosure.report.old_format import Report2016, report_2016
from yiwang.disclosure.report.shape import MIN_YEAR, AnnualReport, C, Column, Line, Section, Table, Value, year_allowed

__all__ = [
    "MIN_YEAR",
    "AnnualReport",
    "BodyYears",
    "C",
    "Column",
    "Line",
    "NationalReport",
    "Report2016",
    "Section",
    "Table",
    "Value",
    "national_report",
    "report_2016",
    "report_index",
    "year_allowed",
]
