"""Messages to users: the inbox every message lands in, and the channels each user chose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    template = models.CharField(_("template"), max_length=64)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Channels the message went out on besides the inbox, e.g. ["sms", "email"].
    delivered = models.JSONField(_("delivered by"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject


class ChannelPreference(models.Model):
    """Besides the inbox: SMS and/or e-mail. SMS is on unless the user turns it off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference")
    sms = models.BooleanField(_("SMS"), default=True)
    email = models.BooleanField(_("e-mail"), default=False)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self) -> str:
        return f"{self.user}: sms={self.sms} email={self.email}"
