"""The accounts' pure values that other contexts read (the kind of an account), apart from the tables so
that reading them imports no model; ``models`` re-exports them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("Natural person")
    LEGAL_PERSON = "legal_person", _("Legal person")
    STAFF = "staff", _("Staff")
