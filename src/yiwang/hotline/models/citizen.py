"""The citizen's side of 12345 (docs/hotline.md, "The citizen's side"): the SMS code's challenge and the
published reply."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneChallenge(models.Model):
    """An SMS code sent to a phone to prove it is the caller's (网上诉求 without an account, 我的诉求 by
    phone): only digests are kept; five wrong tries or five minutes end it; used once."""

    phone_digest = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=10)  # submit, follow
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone_digest", "purpose", "created_at"], name="phone_challenge_latest")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class ReplyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublishedReply(models.Model):
    """回复公开: a request and the city's answer, published with the caller's consent after a reviewer
    approved a text with every personal detail removed (names, phones, ID numbers, house numbers)."""

    ticket = models.OneToOneField("hotline.Ticket", on_delete=models.CASCADE, related_name="published_reply")
    category = models.ForeignKey(
        "hotline.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    region = models.ForeignKey(
        "organisation.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    unit = models.ForeignKey(
        "organisation.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("handling unit"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=120)
    question = models.TextField(_("request as published"))
    answer = models.TextField(_("reply as published"))
    status = models.CharField(_("status"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.PENDING)
    asked_at = models.DateTimeField(_("received at"))
    answered_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    note = models.CharField(_("reviewer's note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("published reply")
        verbose_name_plural = _("published replies")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="published_reply_public"),
            models.Index(fields=["status", "created_at"], name="published_reply_queue"),
        ]

    def __str__(self) -> str:
        return self.title
