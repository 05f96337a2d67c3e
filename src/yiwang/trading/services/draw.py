"""随机抽取评标专家 (招标投标法实施条例 §46), verifiable afterwards (docs/trading.md §6).

Before any pick the draw fixes: the pool (every expert of the specialty, by id, with a digest of what
the recusal reads of each), every exclusion with its reason, and a seed — SM3 of the project's code,
the two digests, the closing's Merkle root and the time. The eligible experts are ranked by
SM3(seed ‖ id); the first ``count`` are picked and told by SMS, and a decline is replaced by the next in
the same ranking. Anyone holding the journal recomputes the same ranking (``draw_verify``)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, NotFound, raise_problems
from yiwang.core.fields import Problem, choice_problems
from yiwang.trading.envelope import canonical
from yiwang.trading.models import (
    Bid,
    BidStatus,
    Draw,
    DrawExclusion,
    DrawPick,
    ExclusionReason,
    Expert,
    ExpertRelation,
    ExpertSanction,
    PickStatus,
    ProjectKind,
    ProjectStatus,
    RelationKind,
    Specialty,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services._common import event_record, operator_authorize, project_locked, stamp

if TYPE_CHECKING:
    from yiwang.accounts.models import User

PROCUREMENT_LARGE = Decimal("10000000")  # 财政部令第87号 §47: a budget of 10 million yuan or more …
PROCUREMENT_LARGE_MIN = 7  # … needs seven or more
FORMER_EMPLOYER_YEARS = 3  # 政府采购法实施条例 §9: an employee within the past three years
DRAWABLE = (ProjectStatus.CLOSED, ProjectStatus.OPENING, ProjectStatus.OPENED)


def committee_problems(project: TradingProject, count: int, representatives: int) -> list[Problem]:
    """The committee's size and make-up (招标投标法 §37; 财政部令第87号 §47)."""
    total = count + representatives
    problems: list[Problem] = []
    procedure = procedure_of(project.method)
    smallest = procedure.panel_min
    if count < 1 or representatives < 0 or total < smallest or total % 2 == 0 or count * 3 < total * 2:
        problems.append(
            (
                "count",
                _(
                    "The committee has %(n)d or more members, an odd number, experts at least two thirds of them "
                    "(%(article)s)."
                )
                % {"n": smallest, "article": procedure.panel_article},
            )
        )
    elif (
        project.kind == ProjectKind.PROCUREMENT
        and procedure.tender
        and project.budget >= PROCUREMENT_LARGE
        and total < PROCUREMENT_LARGE_MIN
    ):
        problems.append(("count", _("A procurement of 10 million yuan or more has seven or more members.")))
    return problems


def _expert_digest(expert: Expert) -> str:
    """What the recusal reads of an expert, fixed in the pool snapshot."""
    return sm3_hex(
        canonical({"id": expert.pk, "employer": expert.employer_credit_code, "specialties": expert.specialties})
    )


def _exclusion(
    expert: Expert,
    *,
    relations: list[ExpertRelation],
    sanctioned: set[int],
    bidders: dict[str, str],
    supervisor_code: str,
    tenderer_codes: set[str],
    already: set[int],
    today: date,
) -> tuple[str, str] | None:
    """Why ``expert`` may not sit on this committee, with a detail, or None."""
    if expert.pk in sanctioned:
        return ExclusionReason.SANCTIONED, ""
    if expert.pk in already:
        return ExclusionReason.ALREADY_DRAWN, ""
    if not expert.available:
        return ExclusionReason.UNAVAILABLE, ""
    if not expert.phone:
        return ExclusionReason.UNREACHABLE, ""
    code = expert.employer_credit_code
    if code and code in bidders:
        return ExclusionReason.BIDDER_EMPLOYEE, bidders[code]
    if code and code == supervisor_code:
        return ExclusionReason.SUPERVISOR_STAFF, ""
    if code and code in tenderer_codes:
        return ExclusionReason.TENDERER_STAFF, ""
    cutoff = today - timedelta(days=365 * FORMER_EMPLOYER_YEARS)
    for relation in relations:
        if relation.credit_code not in bidders:
            continue
        if relation.kind == RelationKind.FORMER_EMPLOYER and (relation.until is None or relation.until >= cutoff):
            return ExclusionReason.FORMER_EMPLOYEE, bidders[relation.credit_code]
        if relation.kind == RelationKind.RELATIVE:
            return ExclusionReason.RELATIVE, bidders[relation.credit_code]
        if relation.kind == RelationKind.INTEREST:
            return ExclusionReason.INTEREST, bidders[relation.credit_code]
    return None


def _seed(project: TradingProject, pool_digest: str, exclusions_digest: str, drawn_at: datetime, salt: str) -> str:
    root = project.closing.root
    parts = (project.code, pool_digest, exclusions_digest, root, stamp(drawn_at), salt)
    return sm3_hex("‖".join(parts).encode())


def _ranking(seed: str, eligible: list[int]) -> list[int]:
    return sorted(eligible, key=lambda pk: sm3_hex(f"{seed}‖{pk}".encode()))


def _notify(pick: DrawPick, token: str) -> None:
    """The SMS with the link to confirm or decline (sent once the draw is committed)."""
    link = f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/trading/experts/{token}/"
    text = _(
        "[Yiwang] You have been drawn as an evaluation expert for project %(code)s. Confirm or decline: %(link)s"
    ) % {
        "code": pick.draw.project.code,
        "link": link,
    }
    phone = pick.expert.phone

    def send() -> None:
        if phone:
            from yiwang.core.sms import sms_send

            sms_send(phone=phone, text=text)

    transaction.on_commit(send, robust=True)  # a failing gateway loses one text, never the committed draw


def _pick(draw: Draw, expert: Expert, rank: int) -> tuple[DrawPick, str]:
    token = secrets.token_urlsafe(24)
    pick = DrawPick.objects.create(
        draw=draw, expert=expert, rank=rank, token_digest=sm3_hex(token.encode()), notified_at=timezone.now()
    )
    _notify(pick, token)
    return pick, token


@transaction.atomic
def draw_make(
    *, actor: User, project: TradingProject, specialty: str, count: int, representatives: int = 0
) -> tuple[Draw, list[str]]:
    """Draws ``count`` experts of ``specialty`` for the committee; returns the draw and the picks' link
    tokens (sent by SMS; kept nowhere but as digests). Refused whole when recusal leaves too few."""
    operator_authorize(actor, project)
    project = project_locked(project)
    if project.status not in DRAWABLE:
        raise Conflict(
            _("Experts are drawn after the bids are closed and before the evaluation."), code="project_status"
        )
    if Draw.objects.filter(project=project).exists():
        raise Conflict(
            _("The committee's experts are drawn once; a decline is replaced from the same draw."),
            code="already_drawn",
        )
    problems = choice_problems(specialty, "specialty", Specialty.values)
    raise_problems(problems + committee_problems(project, count, representatives))
    today = timezone.localdate()
    # One pool (一库) for the platform; the specialty is matched here (JSON containment is not portable).
    pool = [e for e in Expert.objects.order_by("pk") if specialty in (e.specialties or [])]
    relations: dict[int, list[ExpertRelation]] = {}
    for relation in ExpertRelation.objects.filter(expert__in=[e.pk for e in pool]):
        relations.setdefault(relation.expert_id, []).append(relation)
    sanctioned = set(
        ExpertSanction.objects.filter(starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("expert_id", flat=True)
    )
    bidders = {
        str(code): name
        for code, name in Bid.objects.filter(project=project)
        .exclude(status__in=(BidStatus.REPLACED, BidStatus.WITHDRAWN))
        .values_list("bidder__credit_code", "bidder__full_name")
        if code
    }
    tenderer_codes = {
        code
        for code in (
            project.tenderer_department.credit_code if project.tenderer_department else "",
            project.tenderer_company.credit_code if project.tenderer_company else "",
        )
        if code
    }
    already = set(DrawPick.objects.filter(draw__project=project).values_list("expert_id", flat=True))
    exclusions: list[tuple[Expert, str, str]] = []
    eligible: list[int] = []
    for expert in pool:
        found = _exclusion(
            expert,
            relations=relations.get(expert.pk, []),
            sanctioned=sanctioned,
            bidders=bidders,
            supervisor_code=project.supervising_department.credit_code or "",
            tenderer_codes=tenderer_codes,
            already=already,
            today=today,
        )
        if found:
            exclusions.append((expert, *found))
        else:
            eligible.append(expert.pk)
    if len(eligible) < count:
        raise Conflict(
            _("After recusal only %(n)d experts of this specialty remain; %(count)d are needed.")
            % {"n": len(eligible), "count": count},
            code="draw_unfillable",
        )
    pool_digest = sm3_hex(canonical({"pool": [[e.pk, _expert_digest(e)] for e in pool]}))
    exclusions_digest = sm3_hex(canonical({"exclusions": [[e.pk, reason] for e, reason, _detail in exclusions]}))
    now = timezone.now()
    salt = secrets.token_hex(16)
    seed = _seed(project, pool_digest, exclusions_digest, now, salt)
    draw = Draw.objects.create(
        project=project,
        specialty=specialty,
        count=count,
        representatives=representatives,
        pool=[e.pk for e in pool],
        pool_digest=pool_digest,
        exclusions_digest=exclusions_digest,
        seed=seed,
        salt=salt,
        salt_commitment=sm3_hex(salt.encode()),
        drawn_at=now,
        requested_by=actor,
    )
    DrawExclusion.objects.bulk_create(
        DrawExclusion(draw=draw, expert=e, reason=reason, detail=detail[:200]) for e, reason, detail in exclusions
    )
    by_pk = {e.pk: e for e in pool}
    tokens = [_pick(draw, by_pk[pk], rank)[1] for rank, pk in enumerate(_ranking(seed, eligible)[:count], start=1)]
    event_record(project, "draw", actor=actor, before=project.status, note=f"{Specialty(specialty).label} ×{count}")
    audit_record(
        actor=actor,
        action="trading.draw_make",
        target=draw,
        changes={"pool": len(pool), "excluded": len(exclusions), "salt_commitment": sm3_hex(salt.encode())},
    )
    return draw, tokens


def draw_ranking(draw: Draw) -> list[int]:
    """The ranking the journal gives: the pool without the exclusions, ordered by SM3(seed ‖ id)."""
    excluded = set(draw.exclusions.values_list("expert_id", flat=True))
    return _ranking(draw.seed, [pk for pk in draw.pool if pk not in excluded])


def draw_verify(draw: Draw) -> bool:
    """What the supervisor recomputes: the digests from the journal, the seed from them and the closing's
    root, and the picks as the ranking's first experts in order (declined ones replaced by the next)."""
    exclusions = sorted(draw.exclusions.values_list("expert_id", "reason"))
    exclusions_digest = sm3_hex(canonical({"exclusions": [[pk, reason] for pk, reason in exclusions]}))
    if exclusions_digest != draw.exclusions_digest:
        return False
    if sm3_hex(draw.salt.encode()) != draw.salt_commitment:
        return False
    if _seed(draw.project, draw.pool_digest, draw.exclusions_digest, draw.drawn_at, draw.salt) != draw.seed:
        return False
    picks = list(draw.picks.order_by("rank").values_list("expert_id", flat=True))
    return picks == draw_ranking(draw)[: len(picks)]


@transaction.atomic
def pick_respond(*, token: str, accept: bool) -> DrawPick:
    """The expert confirms or declines by the SMS link; a decline draws the next expert in the ranking."""
    found = DrawPick.objects.filter(token_digest=sm3_hex(token[:100].encode())).values_list("draw__project", flat=True)
    project_pk = found.first()
    if project_pk is None:
        raise NotFound(_("This link is not valid."), code="not_found")
    # Replacements of parallel declines queue on the project.
    project_locked(TradingProject(pk=project_pk), while_suspended=True)
    pick = (
        DrawPick.objects.select_for_update(of=("self",))
        .select_related("draw__project", "expert")
        .get(token_digest=sm3_hex(token[:100].encode()))
    )
    if pick.status != PickStatus.NOTIFIED:
        raise Conflict(_("You have already answered."), code="pick_answered")
    pick.status = PickStatus.CONFIRMED if accept else PickStatus.DECLINED
    pick.responded_at = timezone.now()
    pick.save(update_fields=["status", "responded_at"])
    draw = pick.draw
    audit_record(actor=None, action="trading.pick_respond", target=pick, changes={"status": pick.status})
    if not accept:
        picked = set(DrawPick.objects.filter(draw__project=draw.project).values_list("expert_id", flat=True))
        following = [pk for pk in draw_ranking(draw) if pk not in picked]
        if following:
            last = draw.picks.order_by("-rank").values_list("rank", flat=True).first() or 0
            _pick(draw, Expert.objects.get(pk=following[0]), last + 1)
            event_record(draw.project, "draw_replace", actor=None, before=draw.project.status)
        else:
            event_record(draw.project, "draw_short", actor=None, before=draw.project.status)
    return pick


def pick_of_token(token: str) -> DrawPick:
    pick = (
        DrawPick.objects.select_related("draw__project", "expert")
        .filter(token_digest=sm3_hex(token[:100].encode()))
        .first()
    )
    if pick is None:
        raise NotFound(_("This link is not valid."), code="not_found")
    return pick
