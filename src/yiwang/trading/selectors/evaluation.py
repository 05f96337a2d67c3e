"""The committee and the award: expert draws, candidates, dissents, the award, its records and notice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yiwang.core.errors import NotFound
from yiwang.trading.models import (
    AwardRecord,
    Candidate,
    Contract,
    Draw,
    DrawPick,
    ExclusionReason,
    ProjectStatus,
    TradingProject,
)
from yiwang.trading.selectors.projects import is_tenderer, project_published, projects_for_staff

if TYPE_CHECKING:
    from yiwang.accounts.models import User


@dataclass(frozen=True)
class DrawView:
    """A draw as the centre's page shows it: the picks by rank and status, names sealed until the
    evaluation starts (the supervisor verifies the draw)."""

    draw: Draw
    picks: list[DrawPick]
    exclusions: dict[str, int]
    verified: bool


def draws_of(project: TradingProject) -> list[DrawView]:
    from yiwang.trading.services.draw import draw_verify

    views = []
    for draw in Draw.objects.filter(project=project).select_related("project__closing").order_by("drawn_at"):
        exclusions: dict[str, int] = {}
        for reason in draw.exclusions.values_list("reason", flat=True):
            label = str(ExclusionReason(reason).label)
            exclusions[label] = exclusions.get(label, 0) + 1
        picks = list(draw.picks.select_related("expert").order_by("rank"))
        views.append(DrawView(draw, picks, exclusions, draw_verify(draw)))
    return views


def candidates_public(project: TradingProject) -> QuerySet[Candidate]:
    """The candidates from their publication on (none before); a procurement's from its result's
    announcement at the award (政府采购法实施条例 §43)."""
    if project.publicity_from is None and project.awarded_at is None:
        return Candidate.objects.none()
    return (
        Candidate.objects.filter(project=project).select_related("lot", "bid__bidder").order_by("lot__number", "rank")
    )


def candidate_get(candidate_id: int) -> Candidate:
    candidate = Candidate.objects.filter(pk=candidate_id).select_related("project", "lot", "bid__bidder").first()
    if candidate is None:
        raise NotFound(_("No candidate has this number."), code="not_found")
    return candidate


AWARDED = (ProjectStatus.AWARDED, ProjectStatus.CONTRACTED)


def award_winners(project: TradingProject) -> list[Candidate]:
    """The awarded candidates, one per lot awarded; none before the award."""
    if project.status not in AWARDED:
        return []
    return list(
        Candidate.objects.filter(project=project, awarded=True)
        .select_related("lot", "bid__bidder")
        .order_by("lot__number")
    )


def may_see_award_notice(user: User, project: TradingProject, winners: list[Candidate]) -> bool:
    """中标通知书 (招标投标法 §45) is the winning bidder's, the tenderer's side (is_tenderer) and the
    centre's officers' and supervisors' of the project's region (as project_for_staff); no one else's,
    a losing bidder included."""
    return bool(winners) and (
        any(candidate.bid.bidder_id == user.pk for candidate in winners)
        or is_tenderer(user, project)
        or projects_for_staff(user).filter(pk=project.pk).exists()
    )


def contracts_of(project: TradingProject) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(project=project).select_related("lot", "candidate__bid__bidder").order_by("lot__number")
    )


def award_records_of(project: TradingProject) -> QuerySet[AwardRecord]:
    """The signed awards of a project, the live one last (voided ones stay, marked)."""
    return AwardRecord.objects.filter(project=project).select_related("key").order_by("signed_at", "pk")


def award_record_live(project: TradingProject) -> AwardRecord | None:
    return AwardRecord.objects.filter(project=project, voided_at__isnull=True).select_related("key").first()


def award_notice_of(user: User, code: str) -> tuple[TradingProject, list[Candidate]]:
    """An awarded project and its winners, for those who may see its award notice; not found before the
    award, and for anyone else (whether the notice exists is not told)."""
    project = project_published(code)
    winners = award_winners(project)
    if not winners:
        raise NotFound(_("This project has not been awarded yet: it has no award notice."), code="not_awarded")
    if not may_see_award_notice(user, project, winners):
        raise NotFound(_("No award notice of yours has this project code."), code="not_found")
    return project, winners


def dissents_of(project: TradingProject) -> list[tuple[int, str]]:
    """The committee members' written dissents (招标投标法实施条例 §53), by rank, without their names."""
    from yiwang.trading.models import ReportSignature

    signatures = ReportSignature.objects.filter(project=project).exclude(dissent="").select_related("pick")
    return sorted((s.pick.rank, s.dissent) for s in signatures)


def candidates_for(user: User | None, project: TradingProject) -> QuerySet[Candidate]:
    """The candidates as ``user`` may see them: the purchaser of a procurement has them from the report's
    delivery, to decide; everyone else from their publication."""
    if user is not None and project.status == ProjectStatus.DELIVERED and is_tenderer(user, project):
        return (
            Candidate.objects.filter(project=project)
            .select_related("lot", "bid__bidder")
            .order_by("lot__number", "rank")
        )
    return candidates_public(project)
