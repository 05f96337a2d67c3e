"""The organisation's pure values that other contexts read (region levels and their code lengths),
apart from the tables so that reading them imports no model; ``models`` re-exports them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    TOWNSHIP = "township", _("Township or street")
    VILLAGE = "village", _("Village or community")


# Depth order of the levels, and the code length each level uses (GB/T 2260 six digits to county
# level, extended to 9 digits for townships and 12 for villages as the statistics bureau does).
LEVEL_DEPTH = {
    RegionLevel.PROVINCE: 1,
    RegionLevel.CITY: 2,
    RegionLevel.DISTRICT: 3,
    RegionLevel.TOWNSHIP: 4,
    RegionLevel.VILLAGE: 5,
}
LEVEL_CODE_LENGTH = {
    RegionLevel.PROVINCE: 6,
    RegionLevel.CITY: 6,
    RegionLevel.DISTRICT: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
