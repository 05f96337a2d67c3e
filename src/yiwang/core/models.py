from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskFailure(models.Model):
    """A background task that failed after its last retry: kept until an operator deals with it."""

    task_id = models.CharField(_("task id"), max_length=64, db_index=True)
    task_name = models.CharField(_("task"), max_length=200)
    arguments = models.JSONField(_("arguments"), null=True, blank=True)
    error_type = models.CharField(_("error type"), max_length=200)
    error_message = models.TextField(_("error message"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.task_id})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long operation (an import, a report) run in the background with visible progress.

    ``summary`` holds what a finished job produced; ``errors`` the rows it refused, each a dict
    that names where the problem is. Progress while running lives in the task queue's storage
    (``core.jobs``), because the job's own writes are not visible until its transaction commits.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    input_path = models.CharField(max_length=255, blank=True, editable=False)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class DayRecount(models.Model):
    """The fence of one day's recount of one kind of figures (``core.dirty_days``): ``started`` numbers
    the recounts begun, ``written`` is the number of the one whose figures are stored. A recount stores
    only if no recount begun after it has stored already, so a slow recount never overwrites a fresher
    one. Kinds that rebuild a roll-up lock its row here too (``day_lock``)."""

    scope = models.CharField(max_length=40)
    day = models.DateField()
    started = models.PositiveBigIntegerField(default=0)
    written = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "day"], name="day_recount_once")]

    def __str__(self) -> str:
        return f"{self.scope} {self.day}"
