"""The catalogue import as a background job with progress (one kind leaves drafts, one publishes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yiwang.catalogue.excel import catalogue_import
from yiwang.core.jobs import JobKind, JobOutcome, Progress, job_kind_register

if TYPE_CHECKING:
    from yiwang.core.models import Job

CATALOGUE_IMPORT = "catalogue_import"
CATALOGUE_IMPORT_SUBMIT = "catalogue_import_submit"


def _runner(submit: bool):  # type: ignore[no-untyped-def]
    def run(job: Job, data: bytes, progress: Progress) -> JobOutcome:
        report = catalogue_import(actor=job.created_by, source=data, submit=submit, progress=progress)
        return JobOutcome(
            summary={
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
            },
            errors=[error.as_dict() for error in report.errors],
        )

    return run


SUMMARY_LABELS: dict[str, str | Promise] = {
    "created": _("Implementations created"),
    "changed": _("New versions"),
    "unchanged": _("Unchanged"),
}
ERROR_COLUMNS = (("sheet", _("Sheet")), ("row", _("Row")), ("column", _("Column")), ("message", _("Problem")))


def register() -> None:
    for kind, label, submit in (
        (CATALOGUE_IMPORT, _("Import the catalogue from Excel (as drafts)"), False),
        (CATALOGUE_IMPORT_SUBMIT, _("Import the catalogue from Excel and submit for review"), True),
    ):
        job_kind_register(
            kind,
            JobKind(label=label, runner=_runner(submit), summary_labels=SUMMARY_LABELS, error_columns=ERROR_COLUMNS),
        )
