"""Sealed bids, their receipts, the closing and the opening (docs/trading.md §4–§5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField
from yiwang.trading.choices import (
    BidStatus,
    ReceiptAction,
    SecurityForm,
    SecurityStatus,
)
from yiwang.trading.models.project import Lot, PartyKey, PlatformKey, TradingProject


class OpeningKey(models.Model):
    """The project's opening key: the public half seals every bid's second wrapping; the private half
    exists only as ``threshold`` of the shares, each encrypted to its custodian's key (docs/trading.md §5)."""

    project = models.OneToOneField(TradingProject, on_delete=models.CASCADE, related_name="opening_key")
    public_key = models.CharField(_("SM2 public key"), max_length=128)
    fingerprint = models.CharField(_("fingerprint (SM3)"), max_length=64, unique=True)
    threshold = models.PositiveSmallIntegerField(_("shares needed"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("opening key")

    def __str__(self) -> str:
        return f"{self.project_id} {self.fingerprint[:16]}"


class KeyShare(models.Model):
    """One share of an opening key, SM2-encrypted to its custodian's registered key."""

    opening_key = models.ForeignKey(OpeningKey, on_delete=models.CASCADE, related_name="shares")
    index = models.PositiveSmallIntegerField()
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    custodian_key = models.ForeignKey(PartyKey, on_delete=models.PROTECT, related_name="+")
    encrypted = models.TextField(_("encrypted share (hex)"))
    # SM3(index ‖ share), fixed when the key is split: a given share is checked on its own.
    commitment = models.CharField(_("share commitment (SM3)"), max_length=64)
    # Given only after a platform fault at the opening, kept (encrypted) until k are in, then wiped.
    submitted = EncryptedCharField(_("submitted share"), blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening-key share")
        ordering = ["opening_key", "index"]
        constraints = [
            models.UniqueConstraint(fields=["opening_key", "index"], name="trading_share_index"),
            models.UniqueConstraint(fields=["opening_key", "custodian"], name="trading_share_custodian"),
        ]

    def __str__(self) -> str:
        return f"{self.opening_key_id}#{self.index}"


class Bid(models.Model):
    """A sealed bid as it came (the envelope file); its price is known only after the opening."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    bidder_key = models.ForeignKey(PartyKey, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, default=BidStatus.SUBMITTED)
    envelope = models.FileField(_("sealed envelope"), upload_to="trading/bids/%Y/", max_length=200)
    ciphertext_sm3 = models.CharField(_("ciphertext digest (SM3)"), max_length=64)
    envelope_sm3 = models.CharField(_("envelope digest (SM3)"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    submitted_at = models.DateTimeField(_("received at"))
    source_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    device = models.CharField(_("device digest"), max_length=64, blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    figures = models.JSONField(_("offered figures"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opening_note = models.CharField(_("opening note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bid")
        ordering = ["project", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "bidder"], condition=Q(status=BidStatus.SUBMITTED), name="trading_one_live_bid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.lot_id} {self.bidder_id} {self.status}"


class BidReceipt(models.Model):
    """What the platform signed when a bid came, was replaced or withdrawn: append-only, numbered per
    project; the closing's Merkle tree is over these, in sequence order."""

    project = models.ForeignKey(TradingProject, on_delete=models.PROTECT, related_name="receipts")
    sequence = models.PositiveIntegerField(_("sequence"))
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="receipts")
    action = models.CharField(_("action"), max_length=16, choices=ReceiptAction.choices)
    content = models.TextField(_("signed content"))
    signature = models.CharField(_("signature"), max_length=160)
    key = models.ForeignKey(PlatformKey, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("bid receipt")
        ordering = ["project", "sequence"]
        constraints = [models.UniqueConstraint(fields=["project", "sequence"], name="trading_receipt_sequence")]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.sequence} {self.action}"


class BidClosing(models.Model):
    """The bids closed at the deadline: the Merkle root of every receipt, signed and published."""

    project = models.OneToOneField(TradingProject, on_delete=models.PROTECT, related_name="closing")
    receipts = models.PositiveIntegerField(_("receipts"))
    live_bids = models.PositiveIntegerField(_("bids"))
    root = models.CharField(_("Merkle root (SM3)"), max_length=64)
    content = models.TextField(_("signed content"))
    signature = models.CharField(_("signature"), max_length=160)
    key = models.ForeignKey(PlatformKey, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        verbose_name = _("bid closing")

    def __str__(self) -> str:
        return f"{self.project_id} {self.root[:16]}"


class OpeningRecord(models.Model):
    """开标记录: the opening's window and, once concluded, what each bid offered, signed and published."""

    project = models.OneToOneField(TradingProject, on_delete=models.PROTECT, related_name="opening")
    started_at = models.DateTimeField(_("opening started at"))
    window_ends = models.DateTimeField(_("decryption window ends"))
    platform_fault = models.BooleanField(_("platform fault recorded"), default=False)
    platform_fault_note = models.CharField(_("platform fault"), max_length=500, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    content = models.TextField(_("signed content"), blank=True)
    signature = models.CharField(_("signature"), max_length=160, blank=True)
    key = models.ForeignKey(PlatformKey, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("opening record")

    def __str__(self) -> str:
        return f"{self.project_id} opening"


class BidSecurity(models.Model):
    """投标保证金 of one bidder for one lot, recorded by the centre when received: at most 2% of the estimate
    (招标投标法实施条例 §26; 政府采购法实施条例 §33), refunded with interest within 5 days of the contract
    (§57) — the refund's due date is set when the project reaches the step that releases it."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="securities")
    bidder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    form = models.CharField(_("form"), max_length=16, choices=SecurityForm.choices)
    reference = models.CharField(_("reference"), max_length=64)
    received_at = models.DateTimeField(_("received at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=SecurityStatus.choices, default=SecurityStatus.HELD)
    refund_due = models.DateField(_("refund due"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    interest = models.DecimalField(_("interest (yuan)"), max_digits=12, decimal_places=2, default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bid security")
        ordering = ["lot", "received_at"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "bidder"], name="trading_one_security_per_lot"),
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(interest__gte=0), name="trading_security_amounts"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} {self.bidder_id} {self.status}"
