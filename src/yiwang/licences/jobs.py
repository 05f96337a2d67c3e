"""The bulk licence import as a background job with progress (core.jobs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from yiwang.core.jobs import JobKind, JobOutcome, Progress, job_kind_register
from yiwang.licences.importer import licences_import

if TYPE_CHECKING:
    from yiwang.core.models import Job

LICENCES_IMPORT = "licences_import"


def _run(job: Job, data: bytes, progress: Progress) -> JobOutcome:
    report = licences_import(actor=job.created_by, data=data, name=job.input_name, progress=progress)
    return JobOutcome(summary={"rows": report.rows, "issued": report.issued}, errors=report.errors)


job_kind_register(
    LICENCES_IMPORT,
    JobKind(
        label=_("Import existing licences (Excel or CSV)"),
        runner=_run,
        summary_labels={"rows": _("Rows in the file"), "issued": _("Licences issued")},
        error_columns=(("row", _("Row")), ("column", _("Column")), ("message", _("Problem"))),
    ),
)
