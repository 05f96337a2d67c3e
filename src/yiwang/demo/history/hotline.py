"""A realistic generated history of dispatched tickets (demo data and benchmarks): for each category,
what callers say in their own words, where, and which unit finally handled it — mostly the dispatch
catalogue's unit, sometimes the one a dispatcher chose by hand after reading the text (a shop's
noise to market supervision, a utility's outage to the district). The learned dispatch suggestions
train on this history. Written in bulk: numbers drawn as one block from the day counters."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.hotline.models import CallRecord, Category, DispatchRule, FollowUp, Ticket, TicketCounter, TicketStatus
from yiwang.hotline.selectors import dispatch_suggestion
from yiwang.organisation.selectors import department_all, departments_by_pk, region_list

if TYPE_CHECKING:
    from yiwang.organisation.models import Department

# fmt: off
PLACES = ["幸福路", "朝阳路", "人民大道", "东湖小区", "康宁里", "和平新村", "科技城一期", "创业大道", "西山花园", "滨江路", "学府路", "长寿路"]
TIMES = ["每天晚上", "凌晨两点", "最近一周", "这几天", "周末", "今天早上", "连续三天", "一个多月来"]
# Per leaf: phrases callers use; "{p}" a place, "{t}" a time.
SAYINGS: dict[str, list[str]] = {
    "CX0101": ["{p}工地{t}还在打桩施工", "{p}附近{t}有工程车施工噪音很大", "{p}地铁工地夜间施工扰民", "{t}{p}楼盘项目夜里浇筑混凝土"],
    "CX0102": ["{p}施工扬尘很大没有围挡", "{p}工地噪音粉尘影响居民", "{p}拆迁现场尘土飞扬没有洒水"],
    "CX0201": ["{p}有人在楼顶私搭乱建", "{p}一楼住户扩建院子占用公共通道", "{p}小区有人违建阳光房"],
    "CX0202": ["{p}绿化带被人圈起来种菜", "{p}公共绿地被占用停车"],
    "CX0301": ["{p}物业不清理垃圾服务差", "{p}物业乱收停车费", "{p}小区物业{t}不处理漏水"],
    "CX0302": ["{p}小区电梯{t}经常停运", "{p}电梯困人物业不管", "{p}电梯异响存在安全隐患"],
    "SZ0101": ["{p}路面塌陷有大坑", "{p}人行道砖块松动破损", "{p}道路坑洼积水严重"],
    "SZ0102": ["{p}井盖缺失很危险", "{p}雨水井盖破损", "{p}路中间井盖下沉"],
    "SZ0201": ["{p}路灯{t}不亮", "{p}一排路灯坏了晚上很黑", "{p}路灯白天还亮着浪费电"],
    "SD0101": ["{p}{t}停水没有通知", "{p}整栋楼突然停水", "{p}供水管道爆裂停水"],
    "SD0102": ["{p}自来水发黄有异味", "{p}水质浑浊不能饮用"],
    "SD0201": ["{p}{t}停电好几个小时", "{p}小区频繁跳闸停电", "{p}突然停电家里有老人"],
    "SD0301": ["{p}燃气停供无法做饭", "{p}天然气压力不足点不着火"],
    "SD0401": ["{p}暖气不热室温只有十几度", "{p}供暖温度不达标", "{p}暖气片冰凉"],
    "JT0101": ["{p}公交车{t}不按时发车", "{p}站点公交班次太少", "建议在{p}增设公交站点"],
    "JT0102": ["{p}出租车拒载", "出租车司机绕路多收费", "{p}网约车乱收费"],
    "JT0201": ["{p}人行道上乱停车", "{p}消防通道被车辆堵塞", "{p}小区门口违章停车影响通行"],
    "SC0101": ["{p}餐馆后厨卫生脏乱", "在{p}饭店吃饭后拉肚子", "{p}小吃店无证经营"],
    "SC0102": ["{p}超市卖过期食品", "{p}便利店出售过期牛奶"],
    "SC0201": ["{p}超市标价和结账价格不一致", "{p}停车场乱收费价格不公示", "{p}药店价格虚高"],
    "SC0202": ["{p}健身房关门预付卡无法退费", "{p}理发店办卡后跑路", "{p}培训机构拒不退费"],
    "LD0101": ["{p}工地老板拖欠农民工工资", "公司{t}拖欠工资不发", "{p}饭店拖欠员工工资"],
    "LD0201": ["单位没有给我缴纳社保", "公司社保断缴怎么办", "{p}企业少缴社保基数"],
    "HB0101": ["{p}饭店油烟直排熏得开不了窗", "{p}烧烤店油烟扰民", "{p}餐馆排油烟管道对着住户"],
    "HB0102": ["{p}酒吧{t}音乐声太大", "{p}广场舞音响扰民", "{p}商铺大喇叭叫卖噪音"],
    "HB0201": ["{p}垃圾桶满了没人清运", "{p}建筑垃圾乱堆乱放", "{p}小区垃圾{t}无人处理"],
    "ZW0101": ["办居住证需要什么材料", "社保卡丢了怎么补办", "新生儿落户怎么办理", "老年人优待证在哪里办"],
    "ZW0102": ["政务大厅窗口工作人员态度差", "窗口办事排队太久没人管", "{p}派出所窗口推诿不办"],
}
# A dispatcher's hand over the catalogue: (leaf, a word in the text, the department's short name).
HAND_RULES: list[tuple[str, str, str]] = [
    ("HB0102", "商铺", "市场监管局"), ("HB0102", "酒吧", "市场监管局"),
    ("SD0201", "跳闸", "住建局"), ("CX0301", "停车费", "市场监管局"),
    ("JT0201", "消防通道", "公安局"), ("SC0101", "无证", "市场监管局"),
]
# fmt: on


@dataclass(frozen=True)
class Generated:
    tickets: int
    seconds: float


def _text(rng: random.Random, code: str) -> str:
    saying = rng.choice(SAYINGS[code])
    extra = rng.choice(["", "，希望尽快处理", "，多次反映没有解决", "，请相关部门核实", "。"])
    return saying.format(p=rng.choice(PLACES), t=rng.choice(TIMES)) + extra


def _answer(ticket: Ticket) -> str:
    """The unit's reply as the generated history records it (no draw of the generator, so the tickets stay
    the ones the dispatch model's figures were measured on)."""
    unit = ticket.unit.name if ticket.unit is not None else "承办单位"
    return (
        f"经{unit}现场核查，反映的“{ticket.category.name}”问题属实，已安排人员处理完毕，"
        "并已电话告知诉求人办理结果。如仍有问题，可再次拨打12345反映。"
    )


def history_generate(
    count: int, *, seed: int = 12345, days: int = 365, surge: tuple[str, int] | None = None
) -> Generated:
    """``count`` concluded tickets over the last ``days`` days, written in blocks of 2,000, each
    followed up (mostly satisfied). ``surge`` = (leaf code, n): n more of that category in one street
    over the last week, for the hotspot analysis to find."""
    started = timezone.now()
    rng = random.Random(seed)
    leaves = {c.code: c for c in Category.objects.filter(code__in=SAYINGS)}
    streets = list(region_list(level="township", code_prefix="99"))
    by_short = {d.short_name: d for d in department_all() if d.short_name}
    now = timezone.now()
    suggestions: dict[tuple[str, int, tuple[str, ...]], Department | None] = {}
    keywords = sorted({k for rule in DispatchRule.objects.all() for k in rule.keywords})
    units = list(departments_by_pk(pks=DispatchRule.objects.values_list("unit_id", flat=True)).values())
    neighbours = {
        code: [other for other, c in leaves.items() if other != code and c.parent_id == category.parent_id]
        for code, category in leaves.items()
    }
    made = 0
    surge_left = surge[1] if surge else 0
    surge_street = rng.choice(streets) if streets else None
    total = count + surge_left
    while made < total:
        block = min(2000, total - made)
        rows = []
        for _n in range(block):
            code = rng.choice(list(leaves))
            created = now - timedelta(days=rng.uniform(1, days), seconds=rng.randrange(86400))
            if surge is not None and surge_left > 0 and made + _n >= count:
                code, created = surge[0], now - timedelta(days=rng.uniform(0.1, 6.5))
                surge_left -= 1
            ticket = Ticket(
                channel=rng.choice(["phone"] * 6 + ["web", "app", "app"]),
                kind=rng.choice(["complaint"] * 4 + ["help"] * 3 + ["consult", "suggestion", "report"]),
                category=leaves[code],
                description=_text(rng, code),
                region=surge_street if made + _n >= count else rng.choice(streets),
                caller_phone_digest="",
                status=TicketStatus.CLOSED,
                created_at=created,
            )
            # The catalogue's answer depends on the text only through its keywords.
            memo = (code, ticket.region_id or 0, tuple(k for k in keywords if k in ticket.description))
            if memo not in suggestions:
                suggestions[memo] = dispatch_suggestion(ticket)
            unit = suggestions[memo]
            for leaf, word, short in HAND_RULES:
                if leaf == code and word in ticket.description and short in by_short:
                    unit = by_short[short]
            roll = rng.random()
            if roll < 0.06 and units:
                unit = rng.choice(units)  # the dispatcher's judgement nothing in the text explains
            elif roll < 0.16:
                # The agent picked a neighbouring category; the text is still the caller's own.
                siblings = neighbours.get(code, [])
                if siblings:
                    ticket.category = leaves[rng.choice(siblings)]
            ticket.unit = unit
            ticket.answer = _answer(ticket)
            ticket.dispatched_at = created + timedelta(minutes=rng.randint(5, 240))
            ticket.due_at = ticket.dispatched_at + timedelta(days=7)
            ticket.replied_at = ticket.dispatched_at + timedelta(hours=rng.uniform(2, 200))
            ticket.closed_at = ticket.replied_at + timedelta(hours=rng.uniform(1, 48))
            rows.append(ticket)
        _bulk_write(rows, rng)
        made += block
    # Written in bulk, past the models' signals: the days it filled are recounted for the dashboard.
    from yiwang.hotline.aggregates import days_recount

    days_recount(timezone.localdate(now - timedelta(days=days + 1)), timezone.localdate(now))
    return Generated(made, (timezone.now() - started).total_seconds())


SATISFACTION = ["satisfied"] * 17 + ["basically"] * 2 + ["dissatisfied"]


@transaction.atomic
def _bulk_write(rows: list[Ticket], rng: random.Random | None = None) -> None:
    by_day: dict[date, list[Ticket]] = {}
    for ticket in rows:
        by_day.setdefault(timezone.localdate(ticket.created_at), []).append(ticket)
    for day, tickets in by_day.items():
        counter, _created = TicketCounter.objects.get_or_create(day=day)
        TicketCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(tickets))
        last = TicketCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
        for offset, ticket in enumerate(tickets):
            ticket.number = f"12345-{day:%Y%m%d}-{last - len(tickets) + offset + 1:06d}"
    # The history keeps its own times of receipt: the field's "now" is switched off for this write
    # (a command-line generator, never a request).
    field = Ticket._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        Ticket.objects.bulk_create(rows, batch_size=1000)
    finally:
        field.auto_now_add = True
    if rng is not None:
        follow_ups = [
            FollowUp(ticket=t, satisfaction=rng.choice(SATISFACTION), solved=rng.random() < 0.9, via="phone")
            for t in rows
            if t.pk is not None and rng.random() < 0.92
        ]
        FollowUp.objects.bulk_create(follow_ups, batch_size=1000)


def calls_generate(days: int = 30, per_day: int = 400, *, seed: int = 12345) -> int:
    """A month of calls as a telephone system records them: most answered, most within 15 s."""
    rng = random.Random(seed)
    now = timezone.now()
    records = []
    for day in range(days):
        for n in range(per_day):
            arrived = now - timedelta(days=day, seconds=rng.randrange(86400))
            answered = None if rng.random() < 0.05 else arrived + timedelta(seconds=rng.expovariate(1 / 7))
            ended = (answered or arrived) + timedelta(seconds=rng.uniform(20, 400) if answered else rng.uniform(5, 40))
            agent = f"A{rng.randint(1, 40):02d}" if answered else ""
            records.append(
                CallRecord(
                    call_id=f"demo-{day:03d}-{n:05d}",
                    arrived_at=arrived,
                    answered_at=answered,
                    ended_at=ended,
                    agent=agent,
                )
            )
    CallRecord.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)
    return len(records)
