"""The calendar import as a background job (it is small, but imports all go the same way)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from yiwang.calendar.importer import calendar_import
from yiwang.core.jobs import JobKind, JobOutcome, Progress, job_kind_register

if TYPE_CHECKING:
    from yiwang.core.models import Job

CALENDAR_IMPORT = "calendar_import"


def _run(job: Job, data: bytes, progress: Progress) -> JobOutcome:
    progress(0, 1)
    report = calendar_import(actor=job.created_by, source=data)
    progress(1, 1)
    return JobOutcome(summary={"year": report.year, "days": report.days} if report.year else {}, errors=report.errors)


def register() -> None:
    job_kind_register(
        CALENDAR_IMPORT,
        JobKind(
            label=_("Import a year's working-day calendar from Excel"),
            runner=_run,
            summary_labels={"year": _("Year"), "days": _("Days in the table")},
            error_columns=(("row", _("Row")), ("column", _("Column")), ("message", _("Problem"))),
        ),
    )
