"""Regions, departments, service centres, halls, window groups and windows (organisation.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.organisation.choices import LEVEL_CODE_LENGTH as LEVEL_CODE_LENGTH
from yiwang.organisation.choices import LEVEL_DEPTH as LEVEL_DEPTH
from yiwang.organisation.choices import RegionLevel as RegionLevel


class Region(models.Model):
    """A 行政区划. ``path`` holds the codes from the root down, so a subtree is one prefix query."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(models.Model):
    """A 部门: belongs to a region, identified by its unified social credit code (GB 32100)."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceCentre(models.Model):
    """A 政务服务中心, run by a department (usually the 政务服务数据管理局) of its region."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    department = models.ForeignKey(Department, verbose_name=_("managing department"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("service phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Hall(models.Model):
    """A hall (大厅) of a service centre, e.g. 民生服务大厅 on the first floor."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="halls"
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["centre", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="hall_name_unique_in_centre")]

    def __str__(self) -> str:
        return f"{self.centre.name} · {self.name}"


class WindowKind(models.TextChoices):
    GENERAL = "general", _("General window")
    SPECIAL = "special", _("Special window")


class WindowTheme(models.TextChoices):
    """Themes of general windows, and the special windows kept apart (organisation.md)."""

    SOCIAL_LIVELIHOOD = "social_livelihood", _("Social and livelihood")
    REGISTRATION = "registration", _("Registration")
    BUSINESS_LICENSING = "business_licensing", _("Business licensing")
    INVESTMENT_CONSTRUCTION = "investment_construction", _("Investment and construction")
    POLICE = "police", _("Public security")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    TAXATION = "taxation", _("Taxation")


GENERAL_THEMES = frozenset(
    {
        WindowTheme.SOCIAL_LIVELIHOOD,
        WindowTheme.REGISTRATION,
        WindowTheme.BUSINESS_LICENSING,
        WindowTheme.INVESTMENT_CONSTRUCTION,
    }
)


class WindowGroup(models.Model):
    """Windows of one theme in a hall: general windows accept any item of their theme; special
    windows serve one department's business (公安, 人社, 税务)."""

    hall = models.ForeignKey(Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=WindowKind.choices)
    theme = models.CharField(_("theme"), max_length=32, choices=WindowTheme.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Only for special windows."),
    )

    class Meta:
        verbose_name = _("window group")
        verbose_name_plural = _("window groups")
        ordering = ["hall", "kind", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "theme"], name="window_group_theme_unique_in_hall"),
            models.CheckConstraint(
                condition=Q(kind="special", department__isnull=False) | Q(kind="general", department__isnull=True),
                name="window_group_department_only_for_special",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} · {self.name}"


class Window(models.Model):
    group = models.ForeignKey(
        WindowGroup, verbose_name=_("window group"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.CharField(_("window number"), max_length=10)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["group", "number"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="window_number_unique_in_group")]

    def __str__(self) -> str:
        return str(_("Window %(number)s") % {"number": self.number})
