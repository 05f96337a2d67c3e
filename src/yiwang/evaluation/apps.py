from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "yiwang.evaluation"
    label = "evaluation"
    verbose_name = _("Service ratings")

    def ready(self) -> None:
        from yiwang.evaluation import signals  # noqa: F401  (hotline follow-ups and concluded cases)
        from yiwang.online.registry import Section, register_section

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
