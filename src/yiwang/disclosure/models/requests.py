"""Disclosure on request (依申请公开): the request, its clock as a ledger of events, the reply as a
structured decision, the documents released with their redactions, and appeals against the reply
(docs/disclosure.md §1–§3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.personal_data import EncryptedCharField
from yiwang.disclosure.choices import (
    AppealKind,
    AppealOutcome,
    ClockEventKind,
    ConsultedParty,
    DataKind,
    Delivery,
    FeeMethod,
    Ground,
    Outcome,
    RequestChannel,
    RequesterKind,
    RequestStatus,
)


class RequestCounter(models.Model):
    body = models.ForeignKey("organisation.Department", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="disclosure_request_counter")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"


class DisclosureRequest(models.Model):
    """政府信息公开申请 (§27–§29). Made on the portal, the requester is the account (identity from the
    session); on paper, staff type the requester from the letter and keep its scan."""

    body = models.ForeignKey(
        "organisation.Department", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("request number"), max_length=40, unique=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester account"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    requester_kind = models.CharField(_("requester kind"), max_length=16, choices=RequesterKind.choices)
    requester_name = models.CharField(_("requester"), max_length=100)
    # Personal data: encrypted at rest, masked on pages; the digest finds the requester's other requests
    # in the month for the fee (国办函〔2020〕109号) without decrypting.
    identity_number = EncryptedCharField(_("ID number or credit code"), blank=True, default="")
    identity_digest = models.CharField(max_length=64, db_index=True)
    phone = EncryptedCharField(_("contact phone"), blank=True, default="")
    address = EncryptedCharField(_("postal address"), blank=True, default="")
    channel = models.CharField(_("channel"), max_length=12, choices=RequestChannel.choices)
    description = models.TextField(_("information requested"))
    purpose = models.CharField(_("purpose (optional)"), max_length=500, blank=True)
    form = models.CharField(_("form wanted"), max_length=100, blank=True)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)
    received_on = models.DateField(_("received on"))
    letter = models.FileField(_("scanned letter"), upload_to="disclosure/letters/%Y/", blank=True, max_length=200)
    # §29(2)(1): made on the portal without an account, the requester sends their identity document; the
    # follow-up code (shown once, kept as a digest) is how they read the request's progress and reply.
    identity_document = models.FileField(
        _("identity document"), upload_to="disclosure/identity/%Y/", blank=True, max_length=200
    )
    follow_digest = models.CharField(max_length=64, blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    # The clock's result at the last event (clock.compute); the page recomputes it with its steps.
    due_on = models.DateField(_("reply due on"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    # Set by the fee notice, computed from the records (国办函〔2020〕109号), never typed.
    fee_method = models.CharField(_("fee method"), max_length=10, choices=FeeMethod.choices, default=FeeMethod.NONE)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["body", "status", "due_on"], name="disclosure_request_queue"),
            models.Index(fields=["body", "received_on"], name="disclosure_request_received"),
            models.Index(fields=["requester", "received_on"], name="disclosure_request_mine"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="replied") & Q(replied_on__isnull=False))
                | (~Q(status="replied") & Q(replied_on__isnull=True)),
                name="disclosure_request_replied_on",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClockEvent(models.Model):
    """One event of the request's legal clock, append-only (docs/disclosure.md §2)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=ClockEventKind.choices)
    on = models.DateField(_("day"))
    at = models.DateTimeField(_("recorded at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    # A correction's deadline for the requester; an extension's working days and approver; the
    # consulted party.
    until = models.DateField(_("until"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party = models.CharField(_("consulted"), max_length=12, choices=ConsultedParty.choices, blank=True)
    party_name = models.CharField(_("consulted party"), max_length=100, blank=True)

    class Meta:
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.on}"


class Reply(models.Model):
    """The body's answer (§36–§38) as a structured decision: the outcome and its ground are what the
    annual report counts; the text is what the requester reads."""

    request = models.OneToOneField(DisclosureRequest, on_delete=models.PROTECT, related_name="reply")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    ground = models.CharField(_("legal ground"), max_length=24, choices=Ground.choices, blank=True)
    where_public = models.CharField(_("where it is public"), max_length=300, blank=True)
    public_item = models.ForeignKey(
        "disclosure.ProactiveItem", verbose_name=_("published item"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    other_body = models.CharField(_("body to ask instead"), max_length=200, blank=True)
    text = models.TextField(_("written reply"))
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices)
    fee_method = models.CharField(_("fee method"), max_length=10, choices=FeeMethod.choices, default=FeeMethod.NONE)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=0)
    replied_on = models.DateField(_("replied on"))
    on_time = models.BooleanField(_("on time"))
    extended = models.BooleanField(_("extended"))
    pdf = models.FileField(_("written reply (PDF)"), upload_to="disclosure/replies/%Y/", max_length=200)
    pdf_digest = models.CharField(max_length=64)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reply")
        indexes = [models.Index(fields=["replied_on"], name="disclosure_reply_day")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.outcome}"


class ReleasedDocument(models.Model):
    """A document given with the reply. The original stays with the body; the requester receives the
    released copy — when anything was redacted, pages rendered anew with the areas removed."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("file name"), max_length=200)
    original = models.FileField(_("original"), upload_to="disclosure/originals/%Y/", max_length=200)
    content_type = models.CharField(max_length=60)
    original_digest = models.CharField(max_length=64)
    released = models.FileField(_("released copy"), upload_to="disclosure/released/%Y/", blank=True, max_length=200)
    released_digest = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    redacted_at = models.DateTimeField(_("redacted at"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class RedactionArea(models.Model):
    """An area proposed by detection or drawn by a person; removed only once a person confirmed it, with
    the legal ground. The value itself is never stored: only a masked hint."""

    document = models.ForeignKey(ReleasedDocument, on_delete=models.CASCADE, related_name="areas")
    page = models.PositiveIntegerField(_("page"))
    boxes = models.JSONField(_("boxes"))
    kind = models.CharField(_("kind of data"), max_length=12, choices=DataKind.choices)
    hint = models.CharField(_("masked value"), max_length=60, blank=True)
    detected = models.BooleanField(_("found by detection"))
    ground = models.CharField(_("legal ground"), max_length=24, choices=Ground.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rejected = models.BooleanField(_("not to be redacted"), default=False)

    class Meta:
        ordering = ["page", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} p{self.page} {self.kind}"


class Appeal(models.Model):
    """行政复议 or 行政诉讼 against a reply, with its outcome as the body learns it."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(_("kind"), max_length=16, choices=AppealKind.choices)
    after_reconsideration = models.BooleanField(_("after reconsideration"), default=False)
    authority = models.CharField(_("reconsideration body or court"), max_length=100)
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    filed_on = models.DateField(_("filed on"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="pending") & Q(decided_on__isnull=True))
                | (~Q(outcome="pending") & Q(decided_on__isnull=False)),
                name="disclosure_appeal_decided",
            ),
            models.CheckConstraint(
                condition=Q(kind="litigation") | Q(after_reconsideration=False),
                name="disclosure_appeal_after_only_litigation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"
