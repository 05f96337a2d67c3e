"""Objections, complaints, bid securities and the e-supervision's yellow and red cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from yiwang.core.errors import NotFound
from yiwang.trading.models import Alert, BidSecurity, Complaint, Objection, TradingProject
from yiwang.trading.selectors.projects import projects_for_staff, supervises

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def objections_of(project: TradingProject) -> QuerySet[Objection]:
    return Objection.objects.filter(project=project).order_by("raised_at")


def objection_get(objection_id: int) -> Objection:
    objection = Objection.objects.filter(pk=objection_id).select_related("project").first()
    if objection is None:
        raise NotFound(_("No objection has this number."), code="not_found")
    return objection


def complaints_for(user: User, project: TradingProject) -> QuerySet[Complaint]:
    """The supervising department's supervisors see every complaint on the project; anyone else — the
    centre included, which a complaint may be about — only their own."""
    complaints = Complaint.objects.filter(project=project).select_related("complainant").order_by("filed_at", "pk")
    if supervises(user, project):
        return complaints
    return complaints.filter(complainant=user)


def complaint_for(user: User, complaint_id: int) -> Complaint:
    complaint = Complaint.objects.select_related("project").filter(pk=complaint_id).first()
    if complaint is None or not complaints_for(user, complaint.project).filter(pk=complaint.pk).exists():
        raise NotFound(_("No complaint of yours has this number."), code="not_found")
    return complaint


def objections_of_raiser(user: User, project: TradingProject) -> QuerySet[Objection]:
    return Objection.objects.filter(project=project, raised_by=user).order_by("raised_at")


def securities_of(project: TradingProject) -> QuerySet[BidSecurity]:
    return BidSecurity.objects.filter(lot__project=project).select_related("lot", "bidder").order_by("lot", "pk")


def security_for_staff(user: User, security_id: int) -> BidSecurity:
    security = BidSecurity.objects.select_related("lot__project").filter(pk=security_id).first()
    if security is None or not projects_for_staff(user).filter(pk=security.lot.project_id).exists():
        raise NotFound(_("No bid security of your region has this number."), code="not_found")
    return security


def alerts_for_staff(user: User) -> QuerySet[Alert]:
    return Alert.objects.filter(project__in=projects_for_staff(user)).select_related("project")


def alert_counts(projects: list[TradingProject]) -> dict[int, dict[str, int]]:
    """Yellow and red cards per project, for the staff list."""
    rows = (
        Alert.objects.filter(project__in=projects)
        .order_by()
        .values("project")
        .annotate(yellow=Count("pk", filter=Q(colour="yellow")), red=Count("pk", filter=Q(colour="red")))
    )
    return {r["project"]: {"yellow": r["yellow"], "red": r["red"]} for r in rows}
