"""Accounts: one account per person or company across every channel ("一号")."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.choices import AccountKind as AccountKind
from yiwang.accounts.roles import Role
from yiwang.core.personal_data import EncryptedCharField


class User(AbstractUser):
    """An account. Names are kept whole (Chinese names do not split into first and last)."""

    kind = models.CharField(
        _("account kind"), max_length=20, choices=AccountKind.choices, default=AccountKind.NATURAL_PERSON
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    # Personal data: encrypted at rest, found through keyed digests (core.personal_data).
    id_number = EncryptedCharField(_("resident ID number"), blank=True, default="")
    id_number_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone = EncryptedCharField(_("mobile phone"), blank=True, default="")
    phone_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # A legal person's unified social credit code is public information, kept in clear.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True, unique=True)
    # 等保 2.0: staff replace an initial password at first login, and every N days (setting).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("account")  # type: ignore[assignment]
        verbose_name_plural = _("accounts")  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held by an account, scoped to a department and/or a region subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        "organisation.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The role applies to this region and everything below it."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "department", "region"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["expires_at"], name="api_token_expiry")]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class LoginChannel(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("API")


class LoginEvent(models.Model):
    """One login attempt: the history shown to the user, and what lockout counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="login_events"
    )
    # Keyed digest of the account (or, for unknown logins, of the name typed), never the name itself.
    subject = models.CharField(max_length=64, db_index=True)
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=LoginChannel.choices)
    success = models.BooleanField(_("succeeded"))
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("login")
        verbose_name_plural = _("logins")
        ordering = ["-at"]
        indexes = [models.Index(fields=["source_ip", "at"], name="login_event_ip_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_channel_display()}"


class TotpDevice(models.Model):
    """A time-based one-time password authenticator (RFC 6238) bound to an account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedCharField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The last 30-second step accepted: a code is good once (no replay).
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("two-factor authenticator")
        verbose_name_plural = _("two-factor authenticators")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class ApiKey(models.Model):
    """A key for another system (data sharing, hotline channels…), limited to its scopes. Stored hashed."""

    name = models.CharField(_("system name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AgentAuthorisation(models.Model):
    """A person or company lets an agent (代理人) act for them: for some items or all, until a date."""

    ALL_ITEMS = "*"

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("principal"),
        on_delete=models.CASCADE,
        related_name="agents_authorised",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="acting_for"
    )
    # Service item codes the agent may apply for, or ["*"] for every item.
    items = models.JSONField(_("items"), default=list)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agent", "principal"], name="agent_authorisation_pair")]

    def __str__(self) -> str:
        return f"{self.agent} → {self.principal}"
