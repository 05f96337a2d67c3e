"""Ratings (evaluation.md): five levels and dimensions, one per service and rater, every channel, the
responsible department copied, amendment within the period, and the bad input that changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.evaluation import services
from yiwang.evaluation.models import Rating, RatingChannel, Remediation, ServiceKind
from yiwang.evaluation.services import Given
from yiwang.evaluation.tests.conftest import make_case

pytestmark = pytest.mark.django_db


def test_the_applicant_rates_online_once_and_the_department_is_copied(
    concluded: Any, company: Any, people: Any
) -> None:
    rating = services.rating_for_case(
        case=concluded, actor=company, channel=RatingChannel.ONLINE,
        given=Given(level=5, scores={"overall": 5, "efficiency": 4}, comment="很快"),
    )  # fmt: skip
    assert (rating.service_kind, rating.real_name, rating.department, rating.implementation_id) == (
        ServiceKind.CASE, True, people["market"], concluded.implementation_id,
    )  # fmt: skip
    assert rating.staff == people["clerk"] and not Remediation.objects.exists()
    with pytest.raises(Conflict) as twice:
        services.rating_for_case(case=concluded, actor=company, channel=RatingChannel.ONLINE, given=Given(level=4))
    assert twice.value.code == "already_rated" and "7 天" in str(twice.value.message)
    # The link of the notice stands for the same applicant: still one rating.
    token = services.case_link_token(concluded)
    with pytest.raises(Conflict):
        services.rating_for_case(case=concluded, link_token=token, channel=RatingChannel.QR, given=Given(level=3))
    assert Rating.objects.count() == 1


def test_someone_elses_case_an_open_case_and_bad_levels_are_refused(
    concluded: Any, people: Any, make_user: Any, company: Any
) -> None:
    stranger = make_user()
    with pytest.raises(PermissionDenied) as other:
        services.rating_for_case(case=concluded, actor=stranger, channel=RatingChannel.ONLINE, given=Given(level=5))
    assert other.value.code == "not_your_case" and "申请人" in str(other.value.message)
    with pytest.raises(NotFound):
        services.rating_for_case(case=concluded, link_token="forged", channel=RatingChannel.QR, given=Given(level=5))
    open_case = make_case(people, conclude=False)
    with pytest.raises(Conflict) as early:
        services.rating_for_case(case=open_case, actor=company, channel=RatingChannel.ONLINE, given=Given(level=5))
    assert early.value.code == "not_concluded"
    with pytest.raises(ValidationFailed):
        services.rating_for_case(case=concluded, actor=company, channel=RatingChannel.ONLINE, given=Given(level=6))
    with pytest.raises(ValidationFailed) as no_reason:
        services.rating_for_case(case=concluded, actor=company, channel=RatingChannel.ONLINE, given=Given(level=1))
    assert "哪里" in str(no_reason.value.details["errors"][0]["message"])
    with pytest.raises(ValidationFailed):
        services.rating_for_case(
            case=concluded, actor=company, channel=RatingChannel.ONLINE, given=Given(level=5, scores={"taste": 5})
        )
    assert not Rating.objects.exists()


def test_a_bad_rating_opens_remediation_and_amending_it_closes_it(concluded: Any, company: Any) -> None:
    token = services.case_link_token(concluded)
    bad = services.rating_for_case(
        case=concluded, link_token=token, channel=RatingChannel.QR, given=Given(level=2, comment="窗口态度差")
    )
    remediation = Remediation.objects.get(rating=bad)
    assert remediation.department == concluded.department and remediation.status == "pending"
    assert remediation.contact_due < remediation.feedback_due < remediation.fix_due
    services.rating_amend(rating=bad, link_token=token, given=Given(level=4, comment="已解决"))
    remediation.refresh_from_db()
    assert remediation.status == "closed" and "修改" in remediation.return_note
    with pytest.raises(PermissionDenied):
        services.rating_amend(rating=bad, actor=company, given=Given(level=5))  # the link rated, not the account
    later = timezone.now() + timedelta(days=8)
    with pytest.raises(Conflict) as late:
        services.rating_amend(rating=bad, link_token=token, given=Given(level=5), now=later)
    assert late.value.code == "amend_period_over"


def test_a_window_visit_is_rated_on_the_device_of_its_window(hall_visit: Any) -> None:
    visit, clerk, other = hall_visit
    with pytest.raises(PermissionDenied):
        services.rating_for_visit(visit=visit, actor=other, given=Given(level=5))
    rating = services.rating_for_visit(
        visit=visit, actor=clerk, given=Given(level=1, scores={"attitude": 1}, comment="等太久")
    )
    assert rating.channel == "window" and rating.window_id == visit.window_id and rating.staff == clerk
    assert not rating.real_name and rating.department.short_name == "政数局"  # a general window: the centre's
    assert Remediation.objects.filter(rating=rating).exists()


def test_a_hotline_follow_up_is_the_tickets_rating(ticket_replied: Any) -> None:
    from yiwang.hotline import services as hotline

    ticket, supervisor = ticket_replied
    hotline.ticket_follow_up(actor=supervisor, ticket=ticket, satisfaction="dissatisfied", solved=False, redo=True)
    rating = Rating.objects.get(service_ref=f"ticket:{ticket.pk}")
    assert (rating.level, rating.channel, rating.department_id) == (2, "hotline", ticket.unit_id)
    assert Remediation.objects.filter(rating=rating, status="pending").exists()


def test_the_default_rating_is_off_unless_set_and_marked(concluded: Any, settings: Any) -> None:
    later = timezone.now() + timedelta(days=8)
    assert services.ratings_default(now=later) == 0
    settings.YIWANG_RATING_DEFAULT_DAYS = 7
    assert services.ratings_default(now=later) == 1
    rating = Rating.objects.get()
    assert (rating.level, rating.defaulted, rating.channel) == (5, True, "default")
    assert services.ratings_default(now=later) == 0
