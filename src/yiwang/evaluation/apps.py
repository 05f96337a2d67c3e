from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = _("Service ratings")

    def ready(self) -> None:
        from yiwang.cases.notices import notice_code_register
        from yiwang.evaluation import signals, workbench  # noqa: F401  (signals: hotline follow-ups and concluded cases)
        from yiwang.online.registry import Section, register_section

        notice_code_register(_rating_code)
        workbench.register()

        register_section(
            Section(
                "ratings",
                _("Cases to rate"),
                _unrated_rows,
                _("Nothing to rate: thank you."),
                order=20,
                item_template="evaluation/_unrated_item.html",
            )
        )


def _unrated_rows(user: Any) -> list[dict[str, Any]]:
    from yiwang.evaluation.selectors import unrated_cases_of
    from yiwang.evaluation.services import case_link_token

    return [{"case": case, "link": f"/rate/{case_link_token(case)}/"} for case in unrated_cases_of(user)]


def _rating_code(case: Any, key: str) -> tuple[str, str] | None:
    """The case's rating link on its closing notices (一事一评, Qingyuan's QR code per case)."""
    if key not in ("result", "decision", "refusal"):
        return None
    from django.conf import settings

    from yiwang.evaluation.services import case_link_token

    url = f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/rate/{case_link_token(case)}/"
    return url, str(_("Scan to rate our service (好差评): every 差评 is followed up and remedied."))
