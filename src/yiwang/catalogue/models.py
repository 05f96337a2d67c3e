"""政务服务事项: base items, implementations and their versions (docs/catalogue.md)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.roles import Role
from yiwang.catalogue.choices import CaseKind as CaseKind
from yiwang.catalogue.choices import FieldType as FieldType
from yiwang.catalogue.choices import Level as Level
from yiwang.catalogue.choices import Necessity as Necessity
from yiwang.catalogue.choices import OnlineDepth as OnlineDepth
from yiwang.catalogue.choices import SpecialProcedure as SpecialProcedure
from yiwang.catalogue.choices import VersionStatus as VersionStatus


class ItemType(models.TextChoices):
    LICENSING = "licensing", _("Administrative licensing")
    PENALTY = "penalty", _("Administrative penalty")
    COERCION = "coercion", _("Administrative coercion")
    LEVY = "levy", _("Administrative levy")
    BENEFIT = "benefit", _("Administrative benefit")
    INSPECTION = "inspection", _("Administrative inspection")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    REWARD = "reward", _("Administrative reward")
    ADJUDICATION = "adjudication", _("Administrative adjudication")
    OTHER_POWER = "other_power", _("Other administrative power")
    PUBLIC_SERVICE = "public_service", _("Public service")


class HolderType(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("Natural person")
    LEGAL_PERSON = "legal_person", _("Legal person")
    BOTH = "both", _("Natural or legal person")


class TrustGrade(models.TextChoices):
    """The 2016 national guide's trust grades of an electronic licence (licences.md)."""

    A = "A", _("A: issued by the authority under its electronic seal")
    B = "B", _("B: checked by a window officer")
    C = "C", _("C: uploaded by the holder, original to be checked")
    D = "D", _("D: made by the holder under promise")


class LicenceType(models.Model):
    """证照类型: what a material can be replaced by, and what a result produces."""

    code = models.CharField(_("licence type code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    issuing_department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("issuing department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    holder_type = models.CharField(_("holder type"), max_length=16, choices=HolderType.choices)
    gb_code = models.CharField(
        _("GB/T 36904 type code"),
        max_length=21,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Z]{18}\d{3}$", _("The defining ministry's credit code and 3 digits."))],
        help_text=_("The defining ministry's unified social credit code and a 3-digit serial; used in identifiers."),
    )
    fields = models.JSONField(
        _("metadata fields"),
        default=list,
        blank=True,
        help_text=_("The licence's own data items: key, label, type (text, date, number), required."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("valid for (years)"), null=True, blank=True, help_text=_("Empty: valid until revoked.")
    )
    trust_grade = models.CharField(_("trust grade"), max_length=1, choices=TrustGrade.choices, default=TrustGrade.A)

    class Meta:
        verbose_name = _("licence type")
        verbose_name_plural = _("licence types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def identifier_code(self) -> str:
        """The type code in 证照标识: the GB/T 36904 code, or the register's code until one is set."""
        return self.gb_code or self.code


class BaseItem(models.Model):
    """基本目录: the item as defined nationally or provincially."""

    base_code = models.CharField(_("base code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    levels = models.JSONField(_("levels exercised"), default=list, blank=True)

    class Meta:
        verbose_name = _("base item")
        verbose_name_plural = _("base items")
        ordering = ["base_code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.base_code}）"


class ItemImplementation(models.Model):
    """实施清单: one authority's way of doing a base item. Its content lives in versions."""

    code = models.CharField(_("implementation code"), max_length=40, unique=True)
    base_item = models.ForeignKey(
        BaseItem, verbose_name=_("base item"), on_delete=models.PROTECT, related_name="implementations"
    )
    department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("implementing department"),
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    current = models.OneToOneField(
        "ImplementationVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")


class PowerSource(models.TextChoices):
    STATUTORY = "statutory", _("Statutory, this level")
    DELEGATED = "delegated", _("Delegated down by a higher level")
    AUTHORISED_HIGHER = "authorised_higher", _("Authorised by a higher level")
    AUTHORISED_PEER = "authorised_peer", _("Authorised by the same level")
    ENTRUSTED_HIGHER = "entrusted_higher", _("Entrusted by a higher level")
    ENTRUSTED_PEER = "entrusted_peer", _("Entrusted by the same level")


class Channel(models.TextChoices):
    """办理形式."""

    WINDOW = "window", _("At a window")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class CrossRegion(models.TextChoices):
    """通办范围."""

    NONE = "", _("Only where the department is")
    NATIONAL = "national", _("Nationwide")
    PROVINCE = "province", _("Province-wide")
    CITY = "city", _("City-wide")
    COUNTY = "county", _("County-wide")


SERVICE_OBJECTS = ("自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业", "行政机关", "其他组织")


class ImplementerNature(models.TextChoices):
    STATUTORY_ORGAN = "statutory_organ", _("Statutory authority")
    AUTHORISED_BODY = "authorised_body", _("Authorised organisation")
    ENTRUSTED_BODY = "entrusted_body", _("Entrusted organisation")


class ResultType(models.TextChoices):
    LICENCE = "licence", _("Licence or certificate")
    APPROVAL = "approval", _("Approval document")
    OTHER = "other", _("Other")
    NONE = "none", _("None")


class ImplementationVersion(models.Model):
    """One version of an implementation's guide. Published versions are never changed."""

    implementation = models.ForeignKey(ItemImplementation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    power_source = models.CharField(
        _("power source"), max_length=20, choices=PowerSource.choices, default=PowerSource.STATUTORY
    )
    entrusting_department = models.ForeignKey(
        "organisation.Department",
        verbose_name=_("entrusting or delegating department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implementer_nature = models.CharField(
        _("nature of the implementing body"),
        max_length=16,
        choices=ImplementerNature.choices,
        default=ImplementerNature.STATUTORY_ORGAN,
    )
    service_objects = models.JSONField(_("service objects"), default=list, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    statutory_limit = models.PositiveSmallIntegerField(_("statutory time limit"), null=True, blank=True)
    statutory_limit_unit = models.CharField(max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
    promised_limit = models.PositiveSmallIntegerField(_("promised time limit"), null=True, blank=True)
    limit_note = models.CharField(_("time limit note"), max_length=300, blank=True)
    case_kind = models.CharField(_("case kind"), max_length=12, choices=CaseKind.choices, default=CaseKind.PROMISED)
    channels = models.JSONField(_("channels"), default=list, blank=True)  # Channel values
    online_depth = models.JSONField(_("online depth"), default=list, blank=True)  # OnlineDepth values
    visits = models.PositiveSmallIntegerField(_("visits to the hall"), null=True, blank=True)
    in_hall = models.BooleanField(_("handled in the hall"), default=True)
    delivery = models.BooleanField(_("express delivery"), default=False)
    online_payment = models.BooleanField(_("online payment"), default=False)
    appointment = models.BooleanField(_("appointment"), default=False)
    self_service = models.BooleanField(_("self-service terminal"), default=False)
    cross_region = models.CharField(
        _("cross-region scope"), max_length=12, choices=CrossRegion.choices, blank=True, default=CrossRegion.NONE
    )
    fees = models.JSONField(_("fees"), default=list, blank=True)  # [{"name", "standard", "basis", "waivable"}]
    special_procedures = models.JSONField(_("possible special procedures"), default=list, blank=True)
    quantity_limit = models.CharField(_("quantity limit"), max_length=200, blank=True)
    onsite_reason = models.CharField(_("why a visit is needed"), max_length=300, blank=True)
    result_type = models.CharField(_("result type"), max_length=12, choices=ResultType.choices, blank=True)
    result_name = models.CharField(_("result name"), max_length=200, blank=True)
    result_licence_type = models.ForeignKey(
        LicenceType, verbose_name=_("licence issued"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_sample = models.FileField(_("result sample"), upload_to="catalogue/samples/", blank=True, max_length=200)
    intermediary_services = models.TextField(_("intermediary services"), blank=True)
    joint_departments = models.ManyToManyField(
        "organisation.Department", verbose_name=_("joint-approval departments"), blank=True, related_name="+"
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    handling_place = models.CharField(_("where to apply"), max_length=300, blank=True)
    office_hours = models.CharField(_("when"), max_length=200, blank=True)
    consult_phone = models.CharField(_("enquiries"), max_length=50, blank=True)
    # Derived for lookups that must work the same on SQLite and PostgreSQL (JSON text is escaped
    # differently by each); the full-text search builds on search_text.
    search_text = models.TextField(editable=False, default="")
    pinyin_text = models.TextField(editable=False, default="")
    theme_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("implementation version")
        verbose_name_plural = _("implementation versions")
        ordering = ["implementation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["implementation", "number"], name="version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.implementation.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from yiwang.catalogue.search import pinyin_text

        self.search_text = " ".join([self.name, *map(str, self.aliases), *map(str, self.keywords)])
        self.pinyin_text = pinyin_text([self.name, *map(str, self.aliases)])
        self.theme_text = "".join(f"|{theme}|" for theme in self.themes)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "pinyin_text", "theme_text"}
        super().save(*args, **kwargs)


class ProcessStep(models.Model):
    version = models.ForeignKey(ImplementationVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=100)
    performer = models.CharField(_("performed by"), max_length=32, choices=Role.choices)
    working_days = models.PositiveSmallIntegerField(_("share of the time limit"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="step_order_unique")]

    def __str__(self) -> str:
        return self.name


class CopyType(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    BOTH = "both", _("Original and copy")
    ELECTRONIC = "electronic", _("Electronic")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    EITHER = "either", _("Paper or electronic")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Prepared by the applicant")
    GOVERNMENT = "government", _("Issued by a government department")
    OTHER = "other", _("Other")


class MaterialRequirement(models.Model):
    version = models.ForeignKey(ImplementationVersion, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("material"), max_length=200)
    copy_type = models.CharField(_("original or copy"), max_length=16, choices=CopyType.choices, blank=True)
    form = models.CharField(_("form"), max_length=16, choices=MaterialForm.choices, blank=True)
    necessity = models.CharField(_("necessity"), max_length=12, choices=Necessity.choices, default=Necessity.REQUIRED)
    source = models.CharField(_("source"), max_length=16, choices=MaterialSource.choices, blank=True)
    replaced_by = models.ForeignKey(
        LicenceType,
        verbose_name=_("replaced by licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shared_data = models.CharField(_("replaced by shared data"), max_length=100, blank=True)
    copies = models.PositiveSmallIntegerField(_("paper copies"), default=1)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    acceptance_standard = models.TextField(_("acceptance standard"), blank=True)
    basis = models.TextField(_("basis"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    blank_form = models.FileField(_("blank form"), upload_to="catalogue/forms/", blank=True, max_length=200)
    sample = models.FileField(_("filled-in sample"), upload_to="catalogue/samples/", blank=True, max_length=200)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="material_order_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def exempt(self) -> bool:
        """免提交: a licence or shared data supplies it."""
        return self.replaced_by_id is not None or bool(self.shared_data)


class FormField(models.Model):
    """An item-specific field of the application form, generated online and at the window alike."""

    version = models.ForeignKey(ImplementationVersion, on_delete=models.CASCADE, related_name="form_fields")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(_("key"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=16, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    min_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="form_field_order_unique"),
            models.UniqueConstraint(fields=["version", "key"], name="form_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class CatalogueRevision(models.Model):
    """A stamp that changes whenever what is published changes; the search index of every process
    compares it with the one it was built at, and rebuilds when they differ (catalogue.search).
    A random stamp rather than a counter: a counter can come back to an old value when a transaction
    that moved it is rolled back, and an index built at that value would be taken for current."""

    stamp = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("catalogue revision")

    def __str__(self) -> str:
        return str(self.stamp)

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("stamp", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        stamp = secrets.randbits(62) + 1
        if not cls.objects.filter(pk=1).update(stamp=stamp):
            cls.objects.update_or_create(pk=1, defaults={"stamp": stamp})
