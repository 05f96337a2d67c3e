"""The Chinese message templates. Contexts register theirs; the text is rendered when the message
is created, in the recipient's language (Simplified Chinese)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MessageTemplate:
    subject: str | Promise
    body: str | Promise  # Django template syntax: {{ name }}


_templates: dict[str, MessageTemplate] = {
    "account.password_changed": MessageTemplate(
        _("Your password was changed"),
        _("Your Yiwang account password was changed at {{ time }}. If this was not you, call 12345 at once."),
    ),
    "account.agent_authorised": MessageTemplate(
        _("You have been authorised as an agent"),
        _("{{ principal }} has authorised you to act for them until {{ until }}."),
    ),
}


def message_template_register(key: str, template: MessageTemplate) -> None:
    _templates[key] = template


def render_message(key: str, context: dict[str, object], language: str = "zh-hans") -> tuple[str, str]:
    template = _templates[key]
    with translation.override(language):
        subject = str(template.subject)
        body = Template(str(template.body)).render(Context(context, autoescape=False))
    return subject, body
