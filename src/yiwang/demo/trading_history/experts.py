"""The expert pool (一库): three hundred experts with their accounts, specialties, employers, districts
and mobile numbers; a few declared ties to the demo bidders and two sanctions for the draw's recusal."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.choices import AccountKind
from yiwang.accounts.models import RoleAssignment, User
from yiwang.core.identifiers import credit_code_with_check
from yiwang.core.roles import Role
from yiwang.demo.city import CITY, DISTRICTS
from yiwang.demo.trading_history.data import EMPLOYERS, EXPERT_PREFIX, EXPERTS, GIVEN, SEED, SURNAMES
from yiwang.organisation.models import Region
from yiwang.trading.models import Expert, ExpertRelation, ExpertSanction, RelationKind


def experts_generate(*, count: int = EXPERTS, seed: int = SEED) -> int:
    """The pool (一库): ``count`` accounts with the expert role, each an ``Expert`` with one to three
    specialties, an employer and a district, and a mobile number (encrypted, as the model keeps it); a few
    declared ties to the demo bidders and two sanctions for the draw's recusal to find. Returns the
    experts made now (0 when the pool is there)."""
    if User.objects.filter(username__startswith=EXPERT_PREFIX).exists():
        return 0
    rng = random.Random(seed + 1)
    city = Region.objects.get(code=CITY[0])
    regions = [city, *Region.objects.filter(code__in=[code for code, _n, _s in DISTRICTS]).order_by("code")]
    now = timezone.now()
    employers = [
        (name, credit_code_with_check(f"{prefix}990100{n:09d}"[:17]) if prefix != "51" else "", lends)
        for n, (name, prefix, lends) in enumerate(EMPLOYERS, start=3001)
    ]
    names: set[str] = set()
    phones: set[str] = set()
    users, experts = [], []
    # Every demo expert logs in with the demo password (hashed once: 300 hashes would take minutes).
    demo_password = make_password(settings.YIWANG_DEMO_PASSWORD)
    for n in range(1, count + 1):
        name = ""
        while not name or name in names:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _g in range(rng.choice([1, 2, 2])))
        names.add(name)
        phone = ""
        while not phone or phone in phones:
            phone = rng.choice(["133", "135", "136", "137", "138", "139", "150", "151", "158", "186", "189"]) + (
                f"{rng.randrange(10**8):08d}"
            )
        phones.add(phone)
        employer, code, lends = rng.choice(employers)
        specialties = sorted(set(rng.sample(lends, rng.randint(1, len(lends)))))
        joined = now - timedelta(days=rng.randint(30, 5 * 365))
        users.append(
            User(
                username=f"{EXPERT_PREFIX}{n:03d}",
                kind=AccountKind.NATURAL_PERSON,
                full_name=name,
                password=demo_password,
                date_joined=joined,
            )
        )
        experts.append(
            Expert(
                name=name,
                specialties=specialties,
                employer=employer,
                employer_credit_code=code,
                region=rng.choice(regions),
                phone=phone,
                available=rng.random() > 0.05,
                created_at=joined,
            )
        )
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=500)
        created = {u.username: u for u in User.objects.filter(username__startswith=EXPERT_PREFIX)}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=created[u.username], role=Role.EXPERT, granted_at=u.date_joined) for u in users],
            batch_size=500,
        )
        for user, expert in zip(users, experts, strict=True):
            expert.user = created[user.username]
        Expert.objects.bulk_create(experts, batch_size=500)
        _ties(rng, experts)
    return len(experts)


def _ties(rng: random.Random, experts: list[Expert]) -> None:
    """Three experts who once worked for the demo bidders (one within three years: recused), and two
    sanctions, one over and one running."""
    codes = list(
        User.objects.filter(username__in=["demo-bidder", "demo-bidder-2", "demo-bidder-3"]).values_list(
            "credit_code", flat=True
        )
    )
    builders = [e for e in experts if "building" in e.specialties or "civil" in e.specialties]
    picked = rng.sample(builders, 5)
    today = timezone.localdate()
    relations = [
        ExpertRelation(
            expert=picked[n],
            kind=RelationKind.FORMER_EMPLOYER,
            credit_code=str(code),
            note="曾任项目技术负责人",
            until=today - timedelta(days=days),
        )
        for n, (code, days) in enumerate(zip(codes, [400, 900, 1800], strict=False))
    ]
    ExpertRelation.objects.bulk_create(relations)
    ExpertSanction.objects.bulk_create(
        [
            ExpertSanction(
                expert=picked[3],
                reason="评标时未按招标文件规定的评标标准评审（招标投标法实施条例第七十一条）",
                starts_on=today - timedelta(days=500),
                ends_on=today - timedelta(days=135),
            ),
            ExpertSanction(
                expert=picked[4],
                reason="无正当理由不参加评标（招标投标法实施条例第七十一条）",
                starts_on=today - timedelta(days=60),
                ends_on=today + timedelta(days=120),
            ),
        ]
    )
