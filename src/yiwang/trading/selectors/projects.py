"""Projects as the public and the staff see them, and who is who on a project (tenderer, supervisor)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from yiwang.accounts.authz import can, scope_filter
from yiwang.accounts.roles import Role
from yiwang.core.errors import NotFound
from yiwang.trading.models import ProjectEvent, ProjectKind, ProjectStatus, TenderDocument, TradingProject

if TYPE_CHECKING:
    from yiwang.accounts.models import User

UNPUBLISHED = (ProjectStatus.DRAFT, ProjectStatus.CANCELLED)
STAFF_ROLES = {Role.TRADING_OFFICER, Role.SUPERVISOR}


def projects_published(*, kind: str = "", status: str = "", query: str = "") -> QuerySet[TradingProject]:
    """交易信息: every project whose notice is out, newest first — and before them the single sources in
    their publicity (政府采购法实施条例 §38), which are public before any notice."""
    notice_out = Q(published_at__isnull=False) & ~Q(status__in=UNPUBLISHED)
    projects = TradingProject.objects.filter(notice_out | Q(status=ProjectStatus.DRAFT, single_source__isnull=False))
    if kind:
        projects = projects.filter(kind=kind)
    if status:
        projects = projects.filter(status=status)
    if query.strip():
        words = query.strip()[:100]
        projects = projects.filter(Q(title__icontains=words) | Q(code__icontains=words))
    return projects.select_related("region", "supervising_department", "tenderer_department").order_by(
        F("published_at").desc(nulls_first=True), "-pk"
    )


def project_published(code: str) -> TradingProject:
    project = projects_published().filter(code=code[:32]).prefetch_related("lots").first()
    if project is None:
        raise NotFound(_("No published project has this code."), code="not_found")
    return project


def projects_for_staff(user: User) -> QuerySet[TradingProject]:
    """The projects of the regions the centre's officers and the supervisors work in."""
    return scope_filter(TradingProject.objects.all(), user, STAFF_ROLES, department_field=None).select_related(
        "region", "supervising_department"
    )


def project_for_staff(user: User, code: str) -> TradingProject:
    project = projects_for_staff(user).filter(code=code[:32]).first()
    if project is None:
        raise NotFound(_("No project of yours has this code."), code="not_found")
    return project


def documents_of(project: TradingProject) -> QuerySet[TenderDocument]:
    return TenderDocument.objects.filter(project=project).order_by("version")


def events_of(project: TradingProject) -> QuerySet[ProjectEvent]:
    return ProjectEvent.objects.filter(project=project).select_related("actor").order_by("at", "pk")


def is_tenderer(user: User, project: TradingProject, *, principal: bool = False) -> bool:
    """The tenderer's side: its company account or agency, or a head or administrator of its department.
    ``principal``: the tenderer itself, without its agency — who decides the award, signs the contract
    and terminates (docs/trading.md §1: the agency acts on the documents and answers only)."""
    if user.pk == project.tenderer_company_id or (not principal and user.pk == project.agency_id):
        return True
    department = project.tenderer_department
    return department is not None and can(user, {Role.DEPT_HEAD, Role.DEPT_ADMIN}, department=department)


def company_by_credit_code(code: str) -> User | None:
    from yiwang.accounts.selectors import account_by_document

    return account_by_document(id_type="credit_code", number=code[:32])


def next_deadline(project: TradingProject) -> tuple[str, datetime | None]:
    """The step the project waits for and its legal deadline, for the supervisor's list (电子监管)."""
    from yiwang.trading import rules

    waits: dict[str, tuple[str, datetime | None]] = {
        ProjectStatus.BIDDING: (_("bids close"), project.bid_deadline),
        ProjectStatus.PAUSED: (_("objections answered"), project.bid_deadline),
        ProjectStatus.CLOSED: (_("opening"), project.bid_deadline),
        ProjectStatus.REPORTED: (
            _("candidates published"),
            rules.candidates_publish_by(project.reported_at) if project.reported_at else None,
        )
        if project.kind != ProjectKind.PROCUREMENT
        else (
            _("report delivered to the purchaser"),
            rules.working_days_after(project.reported_at, rules.REPORT_WORKING_DAYS) if project.reported_at else None,
        ),
        ProjectStatus.PUBLICITY: (_("publicity ends"), project.publicity_until),
        ProjectStatus.DELIVERED: (
            _("purchaser decides"),
            rules.working_days_after(project.delivered_at, rules.DECISION_WORKING_DAYS)
            if project.delivered_at
            else None,
        ),
        ProjectStatus.AWARDED: (
            _("contract signed"),
            rules.contract_due(project.awarded_at) if project.awarded_at else None,
        ),
    }
    return waits.get(project.status, ("", None))


def criteria_of(project: TradingProject) -> list[Any]:
    from yiwang.trading.models import Criterion

    return list(Criterion.objects.filter(project=project).order_by("order"))


def invitations_of(project: TradingProject) -> list[Any]:
    """The invited companies (for the centre and the supervisor only: 招标投标法 §22 keeps them secret)."""
    from yiwang.trading.models import Invitation

    return list(Invitation.objects.filter(project=project).select_related("company").order_by("rank"))


def supervises(user: User, project: TradingProject) -> bool:
    """Whether ``user`` is a supervisor of the project's supervising department, in its region. The
    platform's supervisor grants are region-wide (电子监察 watches every department); in trading only the
    department that supervises the kind acts (管办分离, docs/trading.md §1)."""
    return supervisor_in(user, project.supervising_department_id, project.region.path)


def supervisor_in(user: User, department_id: int, region_path: str = "") -> bool:
    """Whether ``user`` holds the supervisor role in that department (and covers the region, if given)."""
    from yiwang.accounts.selectors import user_role_assignments

    for assignment in user_role_assignments(user=user).filter(role=Role.SUPERVISOR, department_id=department_id):
        if not region_path or assignment.region is None or region_path.startswith(assignment.region.path):
            return True
    return False
