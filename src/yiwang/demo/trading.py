"""The demo's public resource trading (docs/trading.md): the city's trading centre with its supervision
assignments (construction → 住建局; procurement, state property, other → 财政局; land and mining rights →
自然资源局), registered keys for the custodians and the three demo bidders, and one tender open for bids —
示范市第一中学教学楼新建工程 — in which demo-bidder-2 and demo-bidder-3 have already sealed and uploaded
their bids, so that a newcomer logged in as demo-bidder seals the third (``yiwang-seal seal --key
var/demo-keys/demo-bidder.key …``) and, after the deadline, watches the opening. Before it, a generated
year of the centre (``demo.trading_history``): about two hundred projects of every kind with their
closings, opening records, complaints and cards, and an expert pool of three hundred; and a competitive
negotiation in its round of final quotes (``demo.trading_negotiation``), where demo-bidder seals one.

The demo parties' private keys are written to ``var/demo-keys/`` (0600): on a real platform they would
be on each party's own machine; here they let a newcomer play every part. Idempotent: a second load
adds nothing."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core.crypto import sm2_key_pair, sm2_public_key
from yiwang.demo.city import CITY
from yiwang.demo.trading_history import experts_generate, history_generate
from yiwang.demo.trading_negotiation import negotiation_load
from yiwang.organisation.models import Department, Region
from yiwang.trading import services
from yiwang.trading.envelope import bid_pack, seal
from yiwang.trading.models import KeyPurpose, PartyKey, ProjectKind, SupervisionAssignment, TradingProject

TENDER_TITLE = "示范市第一中学教学楼新建工程"
CUSTODIANS = ("demo-trading-officer", "demo-tenderer", "demo-trading-supervisor", "demo-arbiter-1", "demo-arbiter-2")
BIDDERS = ("demo-bidder", "demo-bidder-2", "demo-bidder-3")
# What the two other demo bidders offered (sealed at load: nobody reads them before the opening).
OFFERS = {"demo-bidder-2": "18650000.00", "demo-bidder-3": "19010000.00"}


def demo_keys_dir() -> Path:
    return Path(settings.VAR_DIR) / "demo-keys"


def _party_key(user: User, purpose: str) -> str:
    """The demo party's private key: read from its file, or made, written (0600) and registered."""
    path = demo_keys_dir() / f"{user.username}.key"
    live = PartyKey.objects.filter(owner=user, purpose=purpose, revoked_at__isnull=True).first()
    if path.exists():
        private = path.read_text(encoding="ascii").strip()
        if live is not None and live.public_key == sm2_public_key(private):
            return private
    private, public = sm2_key_pair()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(private + "\n")
    services.party_key_register(actor=user, purpose=purpose, public_key=public)
    return private


# Who supervises each kind of project in the city (管办分离: never the centre): 住建局 construction, 财政局
# procurement, 自然资源局 land and mining rights; 财政局 also state-owned property and the other kinds.
SUPERVISORS = (
    (ProjectKind.CONSTRUCTION, "housing"),
    (ProjectKind.PROCUREMENT, "finance"),
    (ProjectKind.LAND_MINING, "resources"),
    (ProjectKind.STATE_PROPERTY, "finance"),
    (ProjectKind.OTHER, "finance"),
)


@transaction.atomic
def demo_trading_load(departments: dict[str, Department]) -> int:
    """Loads the demo's trading centre, its year of history and its open tender; returns the projects
    created now (the history's and the tender)."""
    city = Region.objects.get(code=CITY[0])
    admin = User.objects.get(username="demo-centre-admin")
    for kind, key in SUPERVISORS:
        if not SupervisionAssignment.objects.filter(region=city, kind=kind).exists():
            services.supervision_assign(actor=admin, region=city, kind=kind, department=departments[key])
    users = {u.username: u for u in User.objects.filter(username__in=CUSTODIANS + BIDDERS)}
    for username in CUSTODIANS:
        _party_key(users[username], KeyPurpose.CUSTODIAN)
    private_keys = {username: _party_key(users[username], KeyPurpose.BIDDER) for username in BIDDERS}
    experts_generate()
    created = history_generate(departments)
    created += negotiation_load(city, departments, private_keys)
    if TradingProject.objects.filter(title=TENDER_TITLE).exists():
        return created
    officer = User.objects.get(username="demo-trading-officer")
    project = services.project_register(
        actor=officer,
        region=city,
        kind=ProjectKind.CONSTRUCTION,
        method="open_tender",
        evaluation_method="scoring",
        title=TENDER_TITLE,
        budget="19500000.00",
        lots=[services.LotIn("施工总承包", "19500000.00", "390000.00")],
        tenderer_department=departments["education"],
        state_funded=True,
        qualification="具备建筑工程施工总承包二级及以上资质；项目经理具备建筑工程专业一级注册建造师执业资格。",
    )
    services.criteria_set(
        actor=officer,
        project=project,
        criteria=[
            services.CriterionIn("施工组织设计", "technical", "40"),
            services.CriterionIn("项目管理机构", "technical", "15"),
            services.CriterionIn("企业业绩与信誉", "commercial", "15"),
            services.CriterionIn("投标报价", "price", "30"),
        ],
    )
    today = timezone.localdate()
    deadline = (timezone.localtime() + timedelta(days=21)).replace(hour=9, minute=30, second=0, microsecond=0)
    services.notice_publish(
        actor=officer,
        project=project,
        title=f"{TENDER_TITLE}施工招标公告",
        body=(
            "一、招标条件\n本项目已由示范市发展和改革委员会批准建设，建设资金来自财政资金，招标人为示范市教育局。\n"
            "二、项目概况与招标范围\n新建教学楼一栋，地上五层，建筑面积约 12,000 平方米；招标范围为施工总承包。\n"
            "三、投标文件的递交\n投标人使用 yiwang-seal 工具加密投标文件，于投标截止时间前通过本平台上传；"
            "逾期送达的不予受理。"
        ),
        documents_from=today,
        documents_until=today + timedelta(days=6),
        bid_deadline=deadline,
        custodians=[users[username] for username in CUSTODIANS],
        threshold=3,
    )
    project.refresh_from_db()
    for username, price in OFFERS.items():
        bidder = users[username]
        envelope = seal(
            plain=bid_pack(price=price, files={"技术标.txt": f"{bidder.full_name}技术标（示范）".encode()}),
            project=project.code,
            lot=1,
            bidder=str(bidder.credit_code),
            bidder_private_key=private_keys[username],
            bidder_public_key=sm2_public_key(private_keys[username]),
            opening_public_key=project.opening_key.public_key,
        )
        services.bid_submit(actor=bidder, project=project, lot_number=1, data=envelope)
    return created + 1
