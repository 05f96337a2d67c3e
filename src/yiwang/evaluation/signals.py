"""What the rest of the platform tells 好差评: a hotline follow-up is the ticket's rating; a concluded case
invites its applicant to rate it (一事一评), by a link that stands for the applicant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from yiwang.cases.signals import case_concluded
from yiwang.hotline.signals import follow_up_saved
from yiwang.notifications.messages import MessageTemplate, message_template_register

if TYPE_CHECKING:
    from yiwang.hotline.models import FollowUp

message_template_register(
    "evaluation.invite",
    MessageTemplate(
        gettext_lazy("Please rate our service"),
        gettext_lazy("Your application {{ number }} ({{ item }}) is concluded. Please rate our service: {{ link }}"),
    ),
)
message_template_register(
    "evaluation.bad_rating",
    MessageTemplate(
        gettext_lazy("A dissatisfied rating to remedy"),
        gettext_lazy(
            "Your department received a dissatisfied rating of a {{ service }}. Contact the rater and verify it "
            "by {{ due }}."
        ),
    ),
)


@receiver(follow_up_saved, dispatch_uid="evaluation-follow-up")
def _follow_up_rated(sender: Any, instance: FollowUp, created: bool, **kwargs: Any) -> None:
    if created and instance.reached and instance.satisfaction:
        from yiwang.evaluation.services import rating_from_follow_up

        rating_from_follow_up(instance)


@receiver(case_concluded, dispatch_uid="evaluation-invite")
def _invite(sender: Any, case: Any, **kwargs: Any) -> None:
    account = case.applicant_account
    if account is None:
        return
    from yiwang.evaluation.services import case_link_token
    from yiwang.notifications.services import notify

    link = f"/rate/{case_link_token(case)}/"
    transaction.on_commit(
        lambda: notify(
            recipient=account,
            template="evaluation.invite",
            context={"number": case.number, "item": case.version.name, "link": link},
            link=link,
        )
    )
