"""Imports of call records as a background job with progress (core.jobs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from yiwang.core.jobs import JobKind, JobOutcome, Progress, job_kind_register
from yiwang.hotline.calls import calls_import, rows_from_csv

if TYPE_CHECKING:
    from yiwang.core.models import Job

CALLS_IMPORT = "hotline_calls_import"


def _run(job: Job, data: bytes, progress: Progress) -> JobOutcome:
    rows, problems = rows_from_csv(data)
    if problems:
        return JobOutcome(summary={"rows": 0, "imported": 0, "skipped": 0}, errors=problems)
    report = calls_import(actor=job.created_by, rows=rows, progress=progress)
    return JobOutcome(
        summary={"rows": report.rows, "imported": report.imported, "skipped": report.skipped}, errors=report.errors
    )


def register() -> None:
    job_kind_register(
        CALLS_IMPORT,
        JobKind(
            label=_("Import call records (CSV)"),
            runner=_run,
            summary_labels={
                "rows": _("Rows in the file"),
                "imported": _("Calls imported"),
                "skipped": _("Calls already recorded"),
            },
            error_columns=(("row", _("Row")), ("column", _("Column")), ("message", _("Problem"))),
        ),
    )
