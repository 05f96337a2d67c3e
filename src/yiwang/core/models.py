from __future__ import annotations

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
