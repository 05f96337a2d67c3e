"""Proactive disclosure (主动公开): the body's catalogue and guide, its items with their index numbers,
channels, attachments and confidentiality reviews (docs/disclosure.md §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.disclosure.choices import Channel, ItemKind, ItemStatus, ReviewDecision


class CatalogueCategory(models.Model):
    """A category of the body's disclosure catalogue (公开目录, §12): a tree per body."""

    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["body_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "parent", "name"], name="disclosure_category_unique"),
            models.UniqueConstraint(
                fields=["body", "name"], condition=Q(parent__isnull=True), name="disclosure_top_category_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DisclosureGuide(models.Model):
    """The body's disclosure guide (公开指南, §12): where and how to ask, kept current."""

    body = models.OneToOneField(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.CharField(_("disclosure office"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("office hours"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30)
    text = models.TextField(_("guide"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("disclosure guide")

    def __str__(self) -> str:
        return self.office


class IndexCounter(models.Model):
    """The last index-number serial of a body's year, drawn under its row lock."""

    body = models.ForeignKey("organisation.Department", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="disclosure_index_counter")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"


class ProactiveItem(models.Model):
    """主动公开的政府信息: formed (or changed) on a day, published within 20 working days (§26) after
    confidentiality review (§17), under an index number (索引号) given at publication."""

    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("publishing body"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        CatalogueCategory, verbose_name=_("catalogue category"), on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices, default=ItemKind.GENERAL)
    title = models.CharField(_("title"), max_length=500)  # 200 typed here; 500 from the feeds
    text = models.TextField(_("text"), blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)  # 文号
    formed_on = models.DateField(_("formed or changed on"))
    due_on = models.DateField(_("to be published by"))
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    index_number = models.CharField(_("index number"), max_length=40, null=True, blank=True, unique=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # 规章 and 规范性文件: issued on (the document's date), repealed on (the 2021 report's first table).
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    # An item another context published (a trading notice, a service guide, a hotline bulletin): the
    # context's own reference, so the same thing is never published twice.
    source = models.CharField(_("source"), max_length=80, null=True, blank=True, unique=True)
    source_url = models.CharField(_("address of the original"), max_length=200, blank=True)
    late = models.BooleanField(_("published late"), default=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Everyone who wrote any of it (drafted, edited, attached a file): none of them reviews it (§17, four eyes).
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proactive item")
        verbose_name_plural = _("proactive items")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["body", "status", "published_at"], name="disclosure_item_body"),
            models.Index(fields=["status", "published_at"], name="disclosure_item_public"),
            models.Index(fields=["status", "due_on"], name="disclosure_item_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status__in=["published", "withdrawn"]) & Q(index_number__isnull=False))
                | (~Q(status__in=["published", "withdrawn"]) & Q(index_number__isnull=True)),
                name="disclosure_item_number_when_published",
            ),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True) | Q(issued_on__isnull=False),
                name="disclosure_item_repealed_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemChannel(models.Model):
    """A channel the item went out on (§23): the 2016 report counts each."""

    item = models.ForeignKey(ProactiveItem, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "channel"], name="disclosure_channel_once")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.channel}"


class ItemAttachment(models.Model):
    item = models.ForeignKey(ProactiveItem, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="disclosure/items/%Y/", max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    digest = models.CharField(_("SM3 digest"), max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ConfidentialityReview(models.Model):
    """保密审查 (§17): a reviewer who did not draft the item passes or returns its text as it stood."""

    item = models.ForeignKey(ProactiveItem, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=8, choices=ReviewDecision.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    text_digest = models.CharField(max_length=64)  # SM3 of the title and text reviewed
    at = models.DateTimeField(_("reviewed at"))

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.decision}"
