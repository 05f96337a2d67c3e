"""The demo 12345: a category tree of realistic city problems, district governments and street
offices as handling units, and a dispatch catalogue (city department, district, or street by area
and keywords). Idempotent: a second load adds nothing."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from yiwang.demo.city import DISTRICTS, demo_credit_code
from yiwang.hotline.knowledge import article_save
from yiwang.hotline.models import Category, DispatchRule
from yiwang.hotline.services import category_upsert, dispatch_rule_add
from yiwang.organisation.models import Department, Region
from yiwang.organisation.services import department_upsert

# fmt: off
# (code, name, hours, [(code, name, [(code, name)])])
TREE: list[tuple[str, str, int | None, list[tuple[str, str, list[tuple[str, str]]]]]] = [
    ("CX", "城乡建设", None, [
        ("CX01", "施工扰民", [("CX0101", "夜间施工"), ("CX0102", "施工噪音粉尘")]),
        ("CX02", "违法建设", [("CX0201", "私搭乱建"), ("CX0202", "占用绿地")]),
        ("CX03", "物业管理", [("CX0301", "物业服务质量"), ("CX0302", "电梯故障")]),
    ]),
    ("SZ", "市政设施", None, [
        ("SZ01", "道路设施", [("SZ0101", "道路破损"), ("SZ0102", "井盖缺失")]),
        ("SZ02", "路灯照明", [("SZ0201", "路灯不亮")]),
    ]),
    ("SD", "水电气暖", 24, [
        ("SD01", "供水", [("SD0101", "停水"), ("SD0102", "水质问题")]),
        ("SD02", "供电", [("SD0201", "停电")]),
        ("SD03", "燃气", [("SD0301", "燃气停供")]),
        ("SD04", "供暖", [("SD0401", "暖气不热")]),
    ]),
    ("JT", "交通出行", None, [
        ("JT01", "公共交通", [("JT0101", "公交线路与班次"), ("JT0102", "出租车服务")]),
        ("JT02", "停车管理", [("JT0201", "违章停车")]),
    ]),
    ("SC", "市场监管", None, [
        ("SC01", "食品安全", [("SC0101", "餐饮食品安全"), ("SC0102", "过期食品")]),
        ("SC02", "消费维权", [("SC0201", "价格投诉"), ("SC0202", "预付卡退费")]),
    ]),
    ("LD", "劳动保障", None, [
        ("LD01", "劳动关系", [("LD0101", "拖欠工资")]),
        ("LD02", "社会保险", [("LD0201", "社保缴纳")]),
    ]),
    ("HB", "生态环境", None, [
        ("HB01", "环境污染", [("HB0101", "餐饮油烟"), ("HB0102", "噪音扰民")]),
        ("HB02", "市容环卫", [("HB0201", "垃圾清运")]),
    ]),
    ("ZW", "政务服务", None, [
        ("ZW01", "办事咨询", [("ZW0101", "办事指南咨询"), ("ZW0102", "窗口服务投诉")]),
    ]),
]

# Units below the city: a district government per district, a street office per street.
DISTRICT_UNITS = {code: f"示范市{name}人民政府" for code, name, _streets in DISTRICTS}
STREET_UNITS = {street: f"{name}办事处" for _code, _d, streets in DISTRICTS for street, name in streets}

# (category code, city department key or "district" / "street", keywords, priority)
RULES: list[tuple[str, str, list[str], int]] = [
    ("CX01", "street", [], 100),           # 属地: construction nuisance goes to the street office
    ("CX0101", "housing", ["工地", "项目"], 50),  # a named construction site: the housing bureau
    ("CX02", "street", [], 100),
    ("CX03", "housing", [], 100),
    ("SZ", "district", [], 100),
    ("SD", "housing", [], 100),
    ("JT", "transport", [], 100),
    ("SC", "market", [], 100),
    ("LD", "hrss", [], 100),
    ("HB", "district", [], 100),
    ("ZW", "services", [], 100),
]

# (title, answer, category code, owning department key)
ARTICLES: list[tuple[str, str, str, str]] = [
    ("居住证办理需要哪些材料", "本人居民身份证、近期免冠照片、居住证明（房产证或租赁合同）；到居住地派出所或政务服务中心公安窗口办理，可先在网上预约。", "ZW0101", "police"),
    ("老年人优待证怎么办理", "年满60周岁的本市户籍或常住老年人，可在政务服务网在线申报，系统核验身份证和户籍信息后秒批发证，电子证照即时可用；也可到民政窗口办理。", "ZW0101", "civil"),
    ("个人社保缴费记录查询", "登录政务服务网“社会保险参保证明（个人）打印”事项即可查询和打印，也可到人社窗口或自助终端办理，无需单位盖章。", "LD0201", "hrss"),
    ("计划停水停电信息在哪里查", "供水、供电企业会提前在其官方网站、公众号和小区公告栏发布计划停水停电信息；突发停水停电可直接拨打12345，由热线转供水或供电单位抢修。", "SD0101", "housing"),
    ("夜间施工的规定", "除抢修、抢险及因生产工艺要求必须连续作业并取得夜间施工许可的以外，22时至次日6时禁止在居民区附近进行产生环境噪声污染的建筑施工作业。", "CX0101", "housing"),
    ("预付卡退费怎么办", "先与商家协商并保留合同和消费凭证；商家拒不退费的，可向市场监管部门投诉或通过12315平台维权，涉嫌诈骗的向公安机关报案。", "SC0202", "market"),
]
# fmt: on


# The demo's answers hold on whatever day the demo is loaded or the suite's clock stands.
ARTICLES_VALID_FROM = date(2020, 1, 1)


@transaction.atomic
def demo_hotline_load(departments: dict[str, Department]) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=[*DISTRICT_UNITS, *STREET_UNITS])}
    units: dict[str, Department] = {}
    for index, (code, name) in enumerate([*DISTRICT_UNITS.items(), *STREET_UNITS.items()], start=101):
        units[code], _created = department_upsert(
            actor=None, credit_code=demo_credit_code(index), name=name, region=regions[code]
        )
    if Category.objects.exists():
        return
    _tree_and_rules(departments, regions, units)


def _tree_and_rules(
    departments: dict[str, Department], regions: dict[str, Region], units: dict[str, Department]
) -> None:
    for order, (code, name, hours, children) in enumerate(TREE, start=1):
        top = category_upsert(actor=None, code=code, name=name, order=order, time_limit_hours=hours)
        for child_order, (child_code, child_name, leaves) in enumerate(children, start=1):
            middle = category_upsert(actor=None, code=child_code, name=child_name, parent=top, order=child_order)
            for leaf_order, (leaf_code, leaf_name) in enumerate(leaves, start=1):
                category_upsert(actor=None, code=leaf_code, name=leaf_name, parent=middle, order=leaf_order)
    categories = {c.code: c for c in Category.objects.all()}
    for title, body, code, owner in ARTICLES:
        article_save(
            actor=None, department=departments[owner], title=title, body=body, category=categories[code],
            valid_from=ARTICLES_VALID_FROM, public=True,
        )  # fmt: skip
    if DispatchRule.objects.exists():
        return
    for code, target, keywords, priority in RULES:
        if target == "district":
            for district in DISTRICT_UNITS:
                dispatch_rule_add(
                    actor=None, category=categories[code], unit=units[district], region=regions[district],
                    keywords=keywords, priority=priority,
                )  # fmt: skip
        elif target == "street":
            for street in STREET_UNITS:
                dispatch_rule_add(
                    actor=None, category=categories[code], unit=units[street], region=regions[street],
                    keywords=keywords, priority=priority,
                )  # fmt: skip
        else:
            dispatch_rule_add(
                actor=None, category=categories[code], unit=departments[target], keywords=keywords, priority=priority
            )


HISTORY = 20_000


def demo_hotline_history() -> int:
    """The 12345 history the dispatch suggestions learn from: generated once, then the model trained."""
    from yiwang.demo.history.hotline import calls_generate, history_generate
    from yiwang.hotline.learning import model_train
    from yiwang.hotline.models import CallRecord, DispatchModel, Ticket

    made = 0
    if Ticket.objects.count() < HISTORY:
        # Night construction surges in one street this week: the hotspot page finds it.
        made = history_generate(HISTORY, surge=("CX0101", 60)).tickets
    if not CallRecord.objects.exists():
        calls_generate()
    if made or not DispatchModel.objects.exists():
        model_train()
    demo_published_replies()
    return made


PUBLISHED = 40


def demo_published_replies() -> int:
    """回复公开 in the demo: the latest closed tickets' callers agreed, and the supervisor reviewed each
    reply as a reviewer would — published when no personal detail is left, else not (with the reason)."""
    from yiwang.accounts.models import User
    from yiwang.core.errors import ValidationFailed
    from yiwang.hotline import services
    from yiwang.hotline.models import PublishedReply, Ticket, TicketStatus

    if PublishedReply.objects.exists():
        return 0
    reviewer = User.objects.filter(username="demo-supervisor").first()
    if reviewer is None:
        return 0
    closed = list(
        Ticket.objects.filter(status=TicketStatus.CLOSED, region__isnull=False)
        .exclude(answer="")
        .select_related("category", "region", "unit")
        .order_by("-closed_at")[:PUBLISHED]
    )
    Ticket.objects.filter(pk__in=[t.pk for t in closed]).update(publish_consent=True)
    published = 0
    for ticket in closed:
        ticket.publish_consent = True
        reply = services.reply_propose(ticket)
        if reply is None:
            continue
        try:
            services.reply_review(
                actor=reviewer, reply=reply, decision="publish", title=reply.title, question=reply.question,
                answer=reply.answer,
            )  # fmt: skip
            published += 1
        except ValidationFailed:
            services.reply_review(
                actor=reviewer, reply=reply, decision="reject", title=reply.title, question=reply.question,
                answer=reply.answer, note="文本中仍有个人信息",
            )  # fmt: skip
    return published
