"""The demo's competitive negotiation (竞争性谈判, docs/trading.md §4a), caught in its round of final quotes:
the three demo bidders were invited, sealed their responses and opened them at the opening (written as
the history writes its past: the documents, the sealed files, the signed closing and opening record,
committing to the prices, which no rival reads while they negotiate); from there on the services take it —
a panel of three drawn from the pool and confirmed, the evaluation started, the panel's minutes with
demo-bidder recorded, and a round of final quotes called that closes in three days. A newcomer logged in
as demo-bidder downloads the round's key from the project page, seals a quote with ``yiwang-seal seal
--key var/demo-keys/demo-bidder.key --opening-key <round key> … --price …`` and uploads it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core.crypto import sm2_key_pair, sm2_public_key, sm3_hex
from yiwang.organisation.models import Department, Region
from yiwang.trading import rules, services
from yiwang.trading.envelope import bid_pack, envelope_parse, merkle_root, seal
from yiwang.trading.models import (
    Bid,
    BidClosing,
    BidStatus,
    DocumentKind,
    Expert,
    KeyPurpose,
    OpeningRecord,
    PartyKey,
    ProjectEvent,
    ProjectStatus,
    TenderDocument,
    TradingProject,
)
from yiwang.trading.procedures import procedure_of
from yiwang.trading.services._common import platform_sign, stamp

NEGOTIATION_TITLE = "示范市政务云服务竞争性谈判采购"
# What each demo bidder offered first (sealed, opened at the opening, read by the panel only).
FIRST_OFFERS = {"demo-bidder": "1200000.00", "demo-bidder-2": "1180000.00", "demo-bidder-3": "1250000.00"}
NOTICE = (
    "一、采购需求\n示范市政务云服务一年：计算、存储、安全与运维服务，驻场运维人员不少于3人。\n"
    "二、采购方式\n竞争性谈判（政府采购法第三十条第二项：技术复杂，不能确定详细规格）。\n"
    "三、响应文件\n受邀供应商使用 yiwang-seal 工具加密响应文件，于截止时间前通过本平台上传；"
    "谈判结束后按本平台通知提交加密的最后报价。"
)


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour, minute)))


def negotiation_load(city: Region, departments: dict[str, Department], private_keys: dict[str, str]) -> int:
    """Writes the negotiation if it is not there yet; returns the projects created (0 or 1)."""
    if TradingProject.objects.filter(title=NEGOTIATION_TITLE).exists():
        return 0
    officer = User.objects.get(username="demo-trading-officer")
    suppliers = {u.username: u for u in User.objects.filter(username__in=FIRST_OFFERS)}
    project = services.project_register(
        actor=officer, region=city, kind="procurement", method="negotiation", evaluation_method="lowest_price",
        title=NEGOTIATION_TITLE, budget="1300000.00", lots=[services.LotIn("政务云服务", "1300000.00", "0")],
        tenderer_department=departments["services"],
        qualification="具备云计算服务安全评估资质；近三年无重大违法记录。",
    )  # fmt: skip
    services.invitations_make(actor=officer, project=project, companies=[suppliers[n] for n in FIRST_OFFERS])
    now = timezone.localtime()
    deadline = _at(now - timedelta(days=3), 9, 30)
    # Three working days or more to respond (财政部令第74号 §29), counted on the calendar: across a long
    # holiday the notice went out earlier.
    published = _at(deadline - timedelta(days=6), 9, 30)
    while rules.response_period_shortfall(procedure_of("negotiation"), published.date(), deadline):
        published -= timedelta(days=1)
    _past_write(project, officer, published, deadline, suppliers, private_keys)
    # From the opening on, as the services take it.
    counts = Counter(s for specialties in Expert.objects.values_list("specialties", flat=True) for s in specialties)
    _draw, tokens = services.draw_make(actor=officer, project=project, specialty=counts.most_common(1)[0][0], count=3)
    for token in tokens:
        services.pick_respond(token=token, accept=True)
    services.evaluation_start(actor=officer, project=project)
    first = Bid.objects.get(project=project, bidder=suppliers["demo-bidder"])
    services.negotiation_record(
        actor=officer, bid=first, minutes="驻场运维人员由3人增至4人，供应商同意；其余条款不变。"
    )
    services.quote_round_call(
        actor=officer,
        project=project,
        deadline=_at(now + timedelta(days=3), 17),
        note="经谈判，驻场运维人员改为不少于4人；请据此提交最后报价。",
    )
    return 1


def _past_write(
    project: TradingProject,
    officer: User,
    published: datetime,
    deadline: datetime,
    suppliers: dict[str, User],
    private_keys: dict[str, str],
) -> None:
    """The notice, the sealed responses, the closing and the opening, as they were: rows, not services
    (the services take their steps now, not days ago). The opening key's private half is discarded at once,
    as the services discard it after sharing it out: the responses are opened by their bidders."""
    _private, opening_public = sm2_key_pair()
    del _private
    body_sm3 = sm3_hex(NOTICE.encode() + b"\x00")
    TenderDocument.objects.create(
        project=project, version=1, kind=DocumentKind.DOCUMENT, title="竞争性谈判公告", body=NOTICE, sm3=body_sm3,
        deadline_after=deadline, published_by=officer, published_at=published,
    )  # fmt: skip
    opened = deadline + timedelta(minutes=20)
    rows: list[Bid] = []
    for name, price in FIRST_OFFERS.items():
        user = suppliers[name]
        data = seal(
            plain=bid_pack(price=price, files={"响应文件.txt": f"{user.full_name}响应文件（示范）".encode()}),
            project=project.code,
            lot=1,
            bidder=str(user.credit_code),
            bidder_private_key=private_keys[name],
            bidder_public_key=sm2_public_key(private_keys[name]),
            opening_public_key=opening_public,
        )
        envelope = envelope_parse(data, max_bytes=len(data))
        path = default_storage.save(f"trading/bids/{project.code}/{envelope.digest}.ywseal", ContentFile(data))
        bid = Bid(
            project=project, lot=project.lots.get(), bidder=user,
            bidder_key=PartyKey.objects.get(owner=user, purpose=KeyPurpose.BIDDER, revoked_at__isnull=True),
            status=BidStatus.OPENED, ciphertext_sm3=envelope.digest, envelope_sm3=sm3_hex(data), size=len(data),
            submitted_at=deadline - timedelta(days=1, hours=len(rows) + 1), price=Decimal(price), opened_at=opened,
        )  # fmt: skip
        bid.envelope.name = path
        rows.append(bid)
    Bid.objects.bulk_create(rows)
    closing_content = {
        "project": project.code,
        "deadline": stamp(deadline),
        "receipts": 0,
        "bids": len(rows),
        "root": merkle_root([]),
        "closed_at": stamp(deadline),
        "history": "demo",
    }
    text, signature, key = platform_sign(project.region, closing_content)
    BidClosing.objects.create(
        project=project, receipts=0, live_bids=len(rows), root=merkle_root([]), content=text, signature=signature,
        key=key, closed_at=deadline,
    )  # fmt: skip
    record = {
        "project": project.code,
        "started_at": stamp(deadline + timedelta(minutes=2)),
        "concluded_at": stamp(opened),
        "bids": [
            {
                "lot": 1,
                "bidder": b.bidder.full_name,
                "credit_code": b.bidder.credit_code,
                "ciphertext_sm3": b.ciphertext_sm3,
                "status": "opened",
                "price": None,
                "price_sm3": sm3_hex(f"{b.price}|{b.ciphertext_sm3}".encode()),
            }
            for b in rows
        ],
        "history": "demo",
    }
    text, signature, key = platform_sign(project.region, record)
    OpeningRecord.objects.create(
        project=project, started_at=deadline + timedelta(minutes=2),
        window_ends=deadline + timedelta(minutes=2) + rules.DECRYPTION_WINDOW, concluded_at=opened, content=text,
        signature=signature, key=key,
    )  # fmt: skip
    TradingProject.objects.filter(pk=project.pk).update(
        status=ProjectStatus.OPENED,
        documents_from=published.date(),
        documents_until=deadline.date(),
        bid_deadline=deadline,
        published_at=published,
    )
    steps = [
        ("publish", published, ProjectStatus.DRAFT, ProjectStatus.BIDDING),
        ("close", deadline, ProjectStatus.BIDDING, ProjectStatus.CLOSED),
        ("opening_start", deadline + timedelta(minutes=2), ProjectStatus.CLOSED, ProjectStatus.OPENING),
        ("opening_conclude", opened, ProjectStatus.OPENING, ProjectStatus.OPENED),
    ]
    ProjectEvent.objects.bulk_create(
        ProjectEvent(project=project, action=action, at=at, actor=officer, from_status=before, to_status=after)
        for action, at, before, after in steps
    )
    project.refresh_from_db()
