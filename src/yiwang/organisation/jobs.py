"""The organisation import as a background job with progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from yiwang.core.jobs import JobKind, JobOutcome, Progress, job_kind_register
from yiwang.organisation.importer import organisation_import

if TYPE_CHECKING:
    from yiwang.core.models import Job

ORGANISATION_IMPORT = "organisation_import"


def _run_import(job: Job, data: bytes, progress: Progress) -> JobOutcome:
    report = organisation_import(actor=job.created_by, source=data, progress=progress)
    return JobOutcome(
        summary={
            "regions_created": report.regions_created,
            "regions_updated": report.regions_updated,
            "departments_created": report.departments_created,
            "departments_updated": report.departments_updated,
        },
        errors=[error.as_dict() for error in report.errors],
    )


def register() -> None:
    job_kind_register(
        ORGANISATION_IMPORT,
        JobKind(
            label=_("Import regions and departments from Excel"),
            runner=_run_import,
            summary_labels={
                "regions_created": _("Regions created"),
                "regions_updated": _("Regions updated"),
                "departments_created": _("Departments created"),
                "departments_updated": _("Departments updated"),
            },
            error_columns=(
                ("sheet", _("Sheet")),
                ("row", _("Row")),
                ("column", _("Column")),
                ("message", _("Problem")),
            ),
        ),
    )
