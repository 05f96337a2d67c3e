"""A generated year of the demo trading centre (docs/trading.md §11): about two hundred projects of every
kind — 工程建设, 政府采购 (as many as the Shantou seed's 114, with its total budget), 土地/矿业权, 国有产权,
其他 — mostly contracted a few per cent below the budget (sales above their reserve price), some failed
for want of three bids, a few terminated, the latest still under evaluation, in publicity or awarded;
their notices, closings and signed opening records, journals, complaints, e-supervision cards and the
demo bidders' refunded securities; and an expert pool of three hundred.

Written in bulk, past the services (only the demo may: pyproject's import contracts), seeded, so that
every load makes the same history relative to its day. Codes are drawn as one block from the region's
``ProjectCounter`` per year, in the format ``project_register`` gives, so later registrations go on
from there. The history keeps no sealed bids, receipts, draws or scores: each closing says so in its
signed content (no receipts, the empty tree's root), each opening record lists the offers as generated,
and every notice ends with ``HISTORY_MARK`` — which is also how a second load knows there is nothing to
do."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.choices import AccountKind
from yiwang.accounts.models import RoleAssignment, User
from yiwang.calendar.workdays import WorkCalendar
from yiwang.core.crypto import sm3_hex
from yiwang.core.identifiers import credit_code_with_check
from yiwang.core.roles import Role
from yiwang.demo.city import CITY, DISTRICTS, demo_credit_code
from yiwang.organisation.models import Department, Region
from yiwang.organisation.services import department_upsert
from yiwang.trading import rules
from yiwang.trading.envelope import canonical, merkle_root
from yiwang.trading.models import (
    Alert,
    AlertRule,
    BidClosing,
    BidSecurity,
    Complaint,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    DocumentKind,
    EvaluationMethod,
    Expert,
    ExpertRelation,
    ExpertSanction,
    Lot,
    Objection,
    ObjectionSubject,
    OpeningRecord,
    ProjectCounter,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    RelationKind,
    SecurityForm,
    SecurityStatus,
    Specialty,
    SupervisionAssignment,
    TenderDocument,
    TradingMethod,
    TradingProject,
)
from yiwang.trading.services._common import platform_sign, stamp
from yiwang.trading.supervision import COLOURS

SEED = 2026
HISTORY_MARK = "（示范数据：本项目为生成的历史项目，平台未保存其投标文件、回执与评标记录。）"
HISTORY_NOTE = "示范数据：生成的历史项目，未保存投标文件与回执"
EXPERTS = 300
EXPERT_PREFIX = "demo-expert-"
CENT = Decimal("0.01")
MAX_BIDS = 12  # live bids of one project, all lots together

# Projects per kind, and how many of them failed (fewer than three bids) or were terminated.
PROJECTS = {
    ProjectKind.CONSTRUCTION: 58,
    ProjectKind.PROCUREMENT: 114,  # as in the Shantou seed report …
    ProjectKind.LAND_MINING: 12,
    ProjectKind.STATE_PROPERTY: 9,
    ProjectKind.OTHER: 7,
}
PROCUREMENT_BUDGET = Decimal("316646300")  # … with its total budget (316.6463 million yuan)
FAILED = {
    ProjectKind.CONSTRUCTION: 2,
    ProjectKind.PROCUREMENT: 7,
    ProjectKind.LAND_MINING: 2,
    ProjectKind.STATE_PROPERTY: 1,
    ProjectKind.OTHER: 1,
}
TERMINATED = {ProjectKind.CONSTRUCTION: 2, ProjectKind.PROCUREMENT: 2}
# Projects under way whatever the day of the load, so that every step has an example.
UNDER_WAY = {
    ProjectKind.CONSTRUCTION: [ProjectStatus.EVALUATING, ProjectStatus.PUBLICITY, ProjectStatus.AWARDED],
    ProjectKind.PROCUREMENT: [ProjectStatus.EVALUATING, ProjectStatus.PUBLICITY, ProjectStatus.AWARDED],
}
SALES = (ProjectKind.LAND_MINING, ProjectKind.STATE_PROPERTY, ProjectKind.OTHER)

# fmt: off
SCHOOLS = ["第二中学", "第三中学", "实验小学", "东湖小学", "朝阳中学", "科技城学校", "西山小学", "和平路小学",
           "滨江幼儿园", "职业技术学校"]
ROADS = ["幸福路", "朝阳路", "人民大道", "创业大道", "滨江路", "学府路", "长寿路", "西山路", "科技大道", "东湖路"]
DISTRICT_NAMES = [name for _code, name, _streets in DISTRICTS]
STREETS = [name for _code, _name, streets in DISTRICTS for _street, name in streets]
HOSPITAL_BUILDINGS = ["门急诊综合楼", "住院综合楼", "感染性疾病科综合楼", "医技楼"]
DEVICES = ["彩色多普勒超声诊断仪", "64排螺旋CT", "全自动生化分析仪", "数字化X射线摄影系统", "麻醉工作站", "血液透析机"]
PARCEL_PREFIX = {"城东区": "CD", "城西区": "CX", "高新区": "GX"}

# (tenderer: a department key or "district", title, [(lot title, who bids)])
TEMPLATES: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {
    ProjectKind.CONSTRUCTION: [
        ("education", "示范市{school}教学综合楼新建工程", [("施工总承包", "build"), ("工程监理", "supervise")]),
        ("education", "示范市{school}运动场及附属设施改造工程", [("施工", "build")]),
        ("health", "示范市人民医院{building}建设工程", [("施工总承包", "build"), ("工程监理", "supervise")]),
        ("health", "{street}社区卫生服务中心改造工程", [("施工", "build")]),
        ("transport", "{road}道路提升改造工程",
         [("道路工程施工", "build"), ("交通设施施工", "build"), ("工程监理", "supervise")]),
        ("transport", "{district}农村公路安全生命防护工程", [("施工", "build")]),
        ("transport", "示范市{road}跨线桥维修加固工程", [("施工", "build")]),
        ("civil", "示范市{district}养老服务中心建设工程", [("施工总承包", "build")]),
        ("police", "{district}{street}派出所业务技术用房建设工程", [("施工总承包", "build")]),
        ("resources", "{district}高标准农田建设项目", [("一标段", "build"), ("二标段", "build")]),
        ("resources", "{district}西山废弃矿山生态修复工程", [("施工", "build")]),
        ("services", "示范市政务服务中心{district}分中心功能提升改造工程", [("装饰装修施工", "build")]),
        ("market", "示范市食品药品检验检测中心实验楼建设工程", [("施工总承包", "build"), ("工程监理", "supervise")]),
        ("hrss", "示范市公共实训基地建设工程", [("施工总承包", "build")]),
    ],
    ProjectKind.PROCUREMENT: [
        ("education", "示范市{school}智慧教室设备采购项目", [("智慧教室设备", "goods")]),
        ("education", "示范市中小学课桌椅采购项目", [("第一包：小学课桌椅", "goods"), ("第二包：中学课桌椅", "goods")]),
        ("education", "示范市中小学校园安防监控系统采购项目", [("安防监控系统", "it")]),
        ("education", "示范市学生营养餐配送服务采购项目", [("营养餐配送服务", "services")]),
        ("education", "示范市教育城域网网络设备采购项目", [("网络设备", "it")]),
        ("health", "示范市人民医院{device}采购项目", [("{device}", "goods")]),
        ("health", "示范市基层医疗卫生机构负压救护车采购项目", [("负压救护车", "goods")]),
        ("health", "示范市公立医院医用耗材配送服务采购项目", [("医用耗材配送服务", "services")]),
        ("police", "示范市公安局执法记录仪采购项目", [("执法记录仪", "goods")]),
        ("police", "示范市公安局视频监控平台运维服务采购项目", [("运维服务", "it")]),
        ("services", "示范市政务云服务采购项目", [("政务云服务", "it")]),
        ("services", "示范市政务服务中心物业管理服务采购项目", [("物业管理服务", "services")]),
        ("services", "示范市政务服务自助终端采购项目", [("自助服务终端", "goods")]),
        ("services", "示范市12345热线话务外包服务采购项目", [("话务外包服务", "services")]),
        ("hrss", "示范市职业技能培训服务采购项目",
         [("第一包：家政服务培训", "services"), ("第二包：电工培训", "services"),
          ("第三包：养老护理培训", "services")]),
        ("hrss", "示范市社会保障卡制发服务采购项目", [("社会保障卡制发服务", "services")]),
        ("tax", "国家税务总局示范市税务局办公设备采购项目", [("办公设备", "goods")]),
        ("market", "示范市食品安全监督抽检服务采购项目", [("食品安全监督抽检服务", "services")]),
        ("market", "示范市特种设备检验仪器采购项目", [("检验仪器", "goods")]),
        ("civil", "示范市居家养老上门服务采购项目",
         [("第一包：城东区", "services"), ("第二包：城西区", "services"), ("第三包：高新区", "services")]),
        ("transport", "示范市新能源公交车采购项目", [("纯电动公交车", "goods")]),
        ("transport", "示范市公交站台维护服务采购项目", [("站台维护服务", "services")]),
        ("housing", "示范市城市道路照明设施维护服务采购项目", [("照明设施维护服务", "services")]),
        ("housing", "示范市物业专项维修资金审计服务采购项目", [("审计服务", "services")]),
        ("resources", "示范市不动产登记信息系统升级采购项目", [("系统升级", "it")]),
        ("resources", "示范市森林防火物资采购项目", [("森林防火物资", "goods")]),
        ("resources", "示范市地籍调查测绘服务采购项目", [("测绘服务", "services")]),
    ],
    ProjectKind.LAND_MINING: [
        ("district", "{district}{parcel}地块国有建设用地使用权出让", [("{parcel}地块", "realty")]),
        ("district", "{district}{parcel}地块商业服务业设施用地使用权出让", [("{parcel}地块", "realty")]),
        ("district", "{district}西山建筑用砂石矿采矿权出让", [("采矿权", "mining")]),
    ],
    ProjectKind.STATE_PROPERTY: [
        ("transport", "示范市公共交通集团有限公司所持示范{root}客运有限公司股权转让", [("股权", "invest")]),
        ("education", "示范市{school}原校舍房产转让", [("房产", "invest")]),
        ("district", "{district}原粮站仓储用房转让", [("仓储用房", "invest")]),
        ("civil", "示范市民政局公务车辆处置", [("公务车辆（一批）", "invest")]),
        ("health", "示范市人民医院报废医疗设备处置", [("报废医疗设备（一批）", "invest")]),
    ],
    ProjectKind.OTHER: [
        ("transport", "示范市公交站台广告经营权出让", [("广告经营权（五年）", "operate")]),
        ("housing", "示范市城区道路公共停车泊位经营权出让", [("停车泊位经营权", "operate")]),
        ("transport", "示范市出租汽车经营权有偿使用出让", [("出租汽车经营权", "operate")]),
        ("resources", "{district}集体林地经营权流转", [("林地经营权", "operate")]),
    ],
}

ROOTS = ["宏达", "华建", "中恒", "鼎盛", "永安", "新兴", "恒信", "泰和", "润丰", "金诚", "海川", "嘉禾", "瑞祥", "天成",
         "广厦", "正源", "安泰", "博远", "东方", "明德", "汇通", "立信", "远景", "同创", "银河", "华光", "锦程", "盛世"]
# Who bids for which kind of lot: the company names' endings.
TRADES = {
    "build": ["建设集团有限公司", "建筑工程有限公司", "建工集团有限公司", "市政工程有限公司"],
    "supervise": ["工程监理有限公司", "建设工程咨询有限公司"],
    "goods": ["科技有限公司", "医疗器械有限公司", "教学设备有限公司", "商贸有限公司", "汽车销售服务有限公司"],
    "it": ["信息技术有限公司", "软件股份有限公司", "数据科技有限公司"],
    "services": ["物业服务有限公司", "咨询服务有限公司", "检测技术有限公司", "养老服务有限公司"],
    "realty": ["置业有限公司", "房地产开发有限公司"],
    "mining": ["矿业有限公司", "建材有限公司"],
    "invest": ["投资发展有限公司", "资产管理有限公司", "实业有限公司"],
    "operate": ["广告传媒有限公司", "停车管理有限公司", "交通运营有限公司", "农林开发有限公司"],
}
QUALIFICATION = {
    ProjectKind.CONSTRUCTION:
        "具备{grade}及以上资质，项目负责人具备{trade}专业一级注册建造师执业资格；近三年无重大质量安全事故。",
    ProjectKind.PROCUREMENT:
        "具有独立承担民事责任的能力，具有良好的商业信誉和健全的财务会计制度，"
        "参加政府采购活动前三年内在经营活动中没有重大违法记录（政府采购法第二十二条）。",
    ProjectKind.LAND_MINING:
        "中华人民共和国境内外的法人、其他组织和自然人，除法律另有规定者外，均可申请参加，申请人应当单独申请。",
    ProjectKind.STATE_PROPERTY:
        "意向受让方应为依法设立并有效存续的企业法人或具有完全民事行为能力的自然人，具有良好的财务状况和支付能力。",
    ProjectKind.OTHER: "意向竞得人应为依法注册的企业法人，具有相应的经营能力和良好的商业信誉。",
}
NOTICE = {
    ProjectKind.CONSTRUCTION: ("招标公告", "最高投标限价", "投标"),
    ProjectKind.LAND_MINING: ("出让公告", "起始价", "竞买申请"),
    ProjectKind.STATE_PROPERTY: ("转让公告", "转让底价", "受让申请"),
    ProjectKind.OTHER: ("出让公告", "起始价", "竞买申请"),
}
TERMINATION = {
    ProjectKind.CONSTRUCTION: "因项目建设方案调整，招标人终止本次招标，已递交的投标文件不予开启。",
    ProjectKind.PROCUREMENT: "因采购需求发生重大变化，采购人终止本次采购，已递交的响应文件不予开启。",
}
PROCUREMENT_NOTICE = {
    TradingMethod.OPEN_TENDER: "公开招标公告", TradingMethod.INVITED_TENDER: "邀请招标公告",
    TradingMethod.COMPETITIVE_CONSULTATION: "竞争性磋商公告", TradingMethod.COMPETITIVE_NEGOTIATION: "竞争性谈判公告",
    TradingMethod.REQUEST_FOR_QUOTATION: "询价公告",
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文辉鹏宇海燕晓东雪梅俊峰立新国庆春晖振宁永健德"
# (employer, kind of credit code, specialties it lends)
EMPLOYERS: list[tuple[str, str, list[str]]] = [
    ("示范市建筑设计研究院有限公司", "91", ["building", "installation", "cost"]),
    ("示范市市政工程设计院有限公司", "91", ["civil", "cost"]),
    ("示范理工大学土木工程学院", "12", ["building", "civil"]),
    ("示范城建设计集团有限公司", "91", ["building", "civil", "installation"]),
    ("省建筑科学研究院示范分院", "12", ["building", "installation"]),
    ("示范正信工程造价咨询有限公司", "91", ["cost"]),
    ("华审工程咨询有限公司示范分公司", "91", ["cost", "finance"]),
    ("示范理工大学计算机学院", "12", ["it"]),
    ("示范市信息技术研究所", "12", ["it", "goods"]),
    ("示范市产品质量监督检验所", "12", ["goods"]),
    ("示范职业技术学院", "12", ["goods", "services", "it"]),
    ("示范市人民医院", "12", ["goods", "services"]),
    ("示范市物业管理协会", "51", ["services"]),
    ("示范正义律师事务所", "31", ["law"]),
    ("示范大学法学院", "12", ["law"]),
    ("示范诚信会计师事务所", "91", ["finance", "cost"]),
    ("示范大学经济管理学院", "12", ["finance", "services"]),
    ("示范市机电设备安装有限公司", "91", ["installation"]),
    ("示范交通规划设计院有限公司", "91", ["civil"]),
    ("示范市测绘院", "12", ["services", "it"]),
]
# fmt: on


@dataclass
class Timeline:
    created: datetime
    published: datetime
    documents_from: date
    documents_until: date
    deadline: datetime
    opening_start: datetime
    concluded: datetime
    evaluate: datetime
    reported: datetime
    publicity_from: datetime
    publicity_until: datetime
    awarded: datetime
    contract_at: datetime


@dataclass
class Offer:
    lot: int
    name: str
    credit_code: str
    price: Decimal
    username: str = ""  # a demo bidder's account


@dataclass
class Plan:
    """One generated project before it is written."""

    kind: str
    tenderer: Department
    title: str
    method: str
    evaluation_method: str
    lots: list[tuple[str, str, Decimal, Decimal]]  # title, trade, estimate, security
    status: str
    timeline: Timeline
    seed: int
    offers: list[Offer] = field(default_factory=list)
    terminated: datetime | None = None
    termination_note: str = ""
    live_bids: int = 0
    late_contract: bool = False
    project: TradingProject | None = None

    @property
    def budget(self) -> Decimal:
        return sum((estimate for _t, _k, estimate, _s in self.lots), Decimal(0))

    def winners(self) -> list[Offer]:
        by_lot: dict[int, Offer] = {}
        for offer in self.offers:
            by_lot.setdefault(offer.lot, offer)  # the first offer of each lot is its winner
        return [by_lot[n] for n in sorted(by_lot)]


class _Context:
    """What the generator reads once: the city, its departments, the demo's accounts, the calendar."""

    def __init__(self, departments: dict[str, Department], now: datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.city = Region.objects.get(code=CITY[0])
        self.departments = departments
        self.districts = _district_units()
        self.supervisors = {
            a.kind: a.department
            for a in SupervisionAssignment.objects.filter(region=self.city).select_related("department")
        }
        accounts = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
        self.officer = accounts["demo-trading-officer"]
        self.supervisor = accounts["demo-trading-supervisor"]
        self.tenderer = accounts["demo-tenderer"]
        self.bidders = [accounts[name] for name in ("demo-bidder", "demo-bidder-2", "demo-bidder-3")]
        self.calendar = WorkCalendar(self.today - timedelta(days=450), self.today + timedelta(days=60))

    def working(self, day: date) -> bool:
        return self.calendar.day(day).working

    def next_working(self, day: date) -> date:
        while not self.working(day):
            day += timedelta(days=1)
        return day

    def add_working(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (as rules.working_day_due counts)."""
        while count:
            day += timedelta(days=1)
            count -= self.working(day)
        return day


def _district_units() -> list[Department]:
    """The district governments (the same rows demo.hotline makes): the sellers of land and mining rights."""
    from yiwang.demo.hotline import DISTRICT_UNITS

    regions = {r.code: r for r in Region.objects.filter(code__in=DISTRICT_UNITS)}
    units = []
    for index, (code, name) in enumerate(DISTRICT_UNITS.items(), start=101):
        credit_code = demo_credit_code(index)
        unit = Department.objects.filter(credit_code=credit_code).first()
        if unit is None:
            unit, _created = department_upsert(actor=None, credit_code=credit_code, name=name, region=regions[code])
        units.append(unit)
    return units


def _at(day: date, hour: float) -> datetime:
    """A local moment of ``day``, ``hour`` in hours (9.5 = 09:30)."""
    minutes = round(hour * 60)
    return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))


def _timeline(ctx: _Context, rng: random.Random, kind: str, days_back: int, *, snap: bool = True) -> Timeline:
    """The steps of a project whose notice came out ``days_back`` days ago, each within the law's periods
    (docs/trading.md §4): documents for 5 days (5 working days in procurement), 20 days or more to the
    deadline, the report within days, candidates published at once for 3 days, the contract within 30."""
    publish_day = ctx.today - timedelta(days=days_back)
    if snap:
        publish_day = ctx.next_working(publish_day)
    published = _at(publish_day, rng.uniform(9, 17))
    created = _at(publish_day - timedelta(days=rng.randint(1, 10)), rng.uniform(9, 17))
    if kind == ProjectKind.PROCUREMENT:
        until = ctx.add_working(publish_day, rules.DOCUMENT_SALE_WORKING_DAYS - 1) + timedelta(days=rng.randint(0, 3))
    else:
        until = publish_day + timedelta(days=rules.DOCUMENT_SALE_DAYS - 1 + rng.randint(0, 4))
    deadline_day = publish_day + timedelta(days=rules.BIDDING_DAYS + rng.randint(0, 8))
    if snap:
        deadline_day = ctx.next_working(deadline_day)
    deadline = _at(deadline_day, rng.choice([9, 9.5, 9.5, 10, 14.5]))
    opening_start = deadline + timedelta(minutes=rng.randint(1, 5))
    concluded = opening_start + timedelta(minutes=rng.randint(12, 29))
    evaluate = concluded + timedelta(minutes=rng.randint(30, 150))
    reported = _at(timezone.localdate(evaluate) + timedelta(days=rng.randint(1, 2)), rng.uniform(16, 18.5))
    publicity_from = _at(timezone.localdate(reported) + timedelta(days=1), rng.uniform(9, 11))
    publicity_until = rules.candidates_publicity_ends(publicity_from)
    awarded = publicity_until + timedelta(days=rng.randint(0, 4), hours=rng.uniform(9, 16))
    contract_day = timezone.localdate(awarded) + timedelta(days=rng.randint(3, 25))
    return Timeline(
        created=created,
        published=published,
        documents_from=publish_day,
        documents_until=until,
        deadline=deadline,
        opening_start=opening_start,
        concluded=concluded,
        evaluate=evaluate,
        reported=reported,
        publicity_from=publicity_from,
        publicity_until=publicity_until,
        awarded=awarded,
        contract_at=_at(contract_day, rng.uniform(10, 16.5)),
    )


def _stage(t: Timeline, now: datetime) -> str:
    for moment, status in (
        (t.evaluate, ProjectStatus.OPENED),
        (t.reported, ProjectStatus.EVALUATING),
        (t.publicity_from, ProjectStatus.REPORTED),
        (t.awarded, ProjectStatus.PUBLICITY),
        (t.contract_at, ProjectStatus.AWARDED),
    ):
        if now < moment:
            return status
    return ProjectStatus.CONTRACTED


def _plan_timeline(ctx: _Context, seed: int, kind: str, wanted: str, rng: random.Random) -> Timeline:
    """A finished project's days (or, for ``wanted`` under way, the first days that put it there now)."""
    if wanted in (ProjectStatus.EVALUATING, ProjectStatus.PUBLICITY, ProjectStatus.AWARDED):
        for snap in (True, False):
            for days_back in range(21, 150):
                timeline = _timeline(ctx, random.Random(seed), kind, days_back, snap=snap)
                past = timeline.deadline < ctx.now - timedelta(hours=2)
                on_show = wanted != ProjectStatus.PUBLICITY or ctx.now < timeline.publicity_until
                if past and on_show and _stage(timeline, ctx.now) == wanted:
                    return timeline
    days_back = rng.randint(25, 362)
    while True:
        timeline = _timeline(ctx, random.Random(seed), kind, days_back)
        if timeline.deadline < ctx.now - timedelta(hours=2):
            return timeline
        days_back += 7


def _money(value: float, step: int) -> Decimal:
    return Decimal(max(step, round(value / step) * step)).quantize(CENT)


def _budget(rng: random.Random, kind: str) -> Decimal:
    """Budgets at the scale of each kind (yuan): procurement tens of thousands to tens of millions,
    construction millions to hundreds of millions; sales at their reserve price."""
    median, sigma, low, high, step = {
        ProjectKind.CONSTRUCTION: (15e6, 1.0, 1.2e6, 4.5e8, 1000),
        ProjectKind.PROCUREMENT: (1.1e6, 1.3, 3e4, 4e7, 100),
        ProjectKind.LAND_MINING: (4e7, 0.9, 5e6, 4e8, 10000),
        ProjectKind.STATE_PROPERTY: (3e6, 1.0, 2e5, 6e7, 1000),
        ProjectKind.OTHER: (1.5e6, 0.9, 1e5, 2e7, 1000),
    }[ProjectKind(kind)]
    return _money(min(high, max(low, rng.lognormvariate(math.log(median), sigma))), step)


def _method(rng: random.Random, kind: str, budget: Decimal, *, goods: bool) -> tuple[str, str]:
    """The method and evaluation method a project of this size would use: procurement above 2 million yuan
    (goods and services, 公开招标数额标准) is openly tendered, below it mostly consultation, negotiation or —
    for goods of one standard — quotation; construction openly tendered, a few small ones by invitation."""
    if kind == ProjectKind.CONSTRUCTION:
        method = (
            TradingMethod.INVITED_TENDER if budget < 4_000_000 and rng.random() < 0.5 else TradingMethod.OPEN_TENDER
        )
        return method, rng.choice([EvaluationMethod.SCORING, EvaluationMethod.LOWEST_PRICE])
    if kind == ProjectKind.PROCUREMENT:
        if budget >= 2_000_000:
            method = TradingMethod.OPEN_TENDER if rng.random() < 0.92 else TradingMethod.INVITED_TENDER
        elif budget >= 500_000:
            method = rng.choice(
                [TradingMethod.COMPETITIVE_CONSULTATION] * 3
                + [TradingMethod.COMPETITIVE_NEGOTIATION, TradingMethod.REQUEST_FOR_QUOTATION]
            )
        else:
            method = rng.choice(
                [TradingMethod.REQUEST_FOR_QUOTATION] * 3 + [TradingMethod.COMPETITIVE_CONSULTATION] * 2
            )
        if method == TradingMethod.REQUEST_FOR_QUOTATION and not goods:  # 询价 buys goods only
            method = TradingMethod.COMPETITIVE_CONSULTATION
        by_price = method in (TradingMethod.REQUEST_FOR_QUOTATION, TradingMethod.COMPETITIVE_NEGOTIATION)
        return method, EvaluationMethod.LOWEST_PRICE if by_price else EvaluationMethod.SCORING
    return TradingMethod.OPEN_TENDER, EvaluationMethod.SCORING


def _split(rng: random.Random, budget: Decimal, count: int, step: int) -> list[Decimal]:
    if count == 1:
        return [budget]
    weights = [rng.uniform(0.5, 1.5) for _n in range(count)]
    parts = [_money(float(budget) * w / sum(weights), step) for w in weights[:-1]]
    return [*parts, budget - sum(parts, Decimal(0))]


def _security(rng: random.Random, kind: str, estimate: Decimal) -> Decimal:
    """At most 2% of the estimate (招标投标法实施条例 §26); procurement often asks none."""
    if kind == ProjectKind.PROCUREMENT and rng.random() < 0.6:
        return Decimal(0).quantize(CENT)
    share = Decimal("0.01") if kind in (ProjectKind.PROCUREMENT, ProjectKind.OTHER) else rules.MAX_SECURITY_SHARE
    amount = min(estimate * share, Decimal(800_000))
    return (amount / 100).to_integral_value(rounding=ROUND_DOWN) * 100 if amount >= 100 else Decimal(0).quantize(CENT)


class _Companies:
    """Fictional companies by trade, each with a valid-looking credit code of the demo city."""

    def __init__(self, rng: random.Random) -> None:
        self.by_trade: dict[str, list[tuple[str, str]]] = {}
        serial = 2000
        for trade, endings in TRADES.items():
            names: list[tuple[str, str]] = []
            for root in rng.sample(ROOTS, 14):
                prefix = rng.choice(["示范", "示范市", "省", ""])
                serial += 1
                names.append(
                    (f"{prefix}{root}{rng.choice(endings)}", credit_code_with_check(f"91990100MA{serial:07d}"))
                )
            self.by_trade[trade] = names

    def pick(self, rng: random.Random, trade: str, count: int) -> list[tuple[str, str]]:
        return rng.sample(self.by_trade[trade], count)


def _numeral(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if n <= 10 else str(n)


def _plans(ctx: _Context, rng: random.Random) -> list[Plan]:
    companies = _Companies(rng)
    used: dict[str, int] = defaultdict(int)
    plans: list[Plan] = []
    for kind, count in PROJECTS.items():
        statuses = [ProjectStatus.FAILED] * FAILED.get(kind, 0) + [ProjectStatus.TERMINATED] * TERMINATED.get(kind, 0)
        statuses += UNDER_WAY.get(kind, [])
        statuses += [ProjectStatus.CONTRACTED] * (count - len(statuses))
        rng.shuffle(statuses)
        budgets = [_budget(rng, kind) for _status in statuses]
        if kind == ProjectKind.PROCUREMENT:
            budgets = _scaled(budgets, PROCUREMENT_BUDGET)
        for wanted, budget in zip(statuses, budgets, strict=True):
            plan = _plan(ctx, rng, used, kind, wanted, budget)
            _offers(ctx, rng, companies, plan)
            plans.append(plan)
    return plans


def _scaled(budgets: list[Decimal], total: Decimal) -> list[Decimal]:
    """The budgets in proportion, each to the hundred yuan, adding up to ``total`` (the largest takes the
    rounding)."""
    factor = total / sum(budgets, Decimal(0))
    scaled = [_money(float(budget * factor), 100) for budget in budgets]
    largest = scaled.index(max(scaled))
    scaled[largest] += total - sum(scaled, Decimal(0))
    return scaled


def _plan(ctx: _Context, rng: random.Random, used: dict[str, int], kind: str, wanted: str, budget: Decimal) -> Plan:
    tenderer_key, pattern, lots = rng.choice(TEMPLATES[kind])
    district = rng.randrange(len(DISTRICT_NAMES))
    year = ctx.today.year - rng.randint(0, 1)
    words = {
        "school": rng.choice(SCHOOLS),
        "road": rng.choice(ROADS),
        "district": DISTRICT_NAMES[district],
        "street": rng.choice(STREETS),
        "building": rng.choice(HOSPITAL_BUILDINGS),
        "device": rng.choice(DEVICES),
        "root": rng.choice(ROOTS),
        "parcel": f"{PARCEL_PREFIX[DISTRICT_NAMES[district]]}{year}-{rng.randint(1, 30):02d}号",
    }
    title = pattern.format(**words)
    used[title] += 1
    if used[title] > 1:
        title = f"{title}（第{_numeral(used[title])}批）"
    tenderer = ctx.districts[district] if tenderer_key == "district" else ctx.departments[tenderer_key]
    method, evaluation = _method(rng, kind, budget, goods=all(trade == "goods" for _t, trade in lots))
    estimates = _split(rng, budget, len(lots), 100 if kind == ProjectKind.PROCUREMENT else 1000)
    plan_lots = [
        (lot_title.format(**words), trade, estimate, _security(rng, kind, estimate))
        for (lot_title, trade), estimate in zip(lots, estimates, strict=True)
    ]
    seed = rng.randrange(2**32)
    timeline = _plan_timeline(ctx, seed, kind, wanted, rng)
    status = _stage(timeline, ctx.now) if wanted == ProjectStatus.CONTRACTED else wanted
    plan = Plan(kind, tenderer, title, method, evaluation, plan_lots, status, timeline, seed)
    if status == ProjectStatus.TERMINATED:
        end = min(timeline.deadline - timedelta(days=2), ctx.now - timedelta(hours=1))
        plan.terminated = timeline.published + (end - timeline.published) * rng.uniform(0.3, 0.9)
    return plan


def _offers(ctx: _Context, rng: random.Random, companies: _Companies, plan: Plan) -> None:
    """What each lot's bidders offered, its winner first: purchases a few per cent below the estimate (the
    winner usually the lowest), sales above the reserve price (the winner the highest)."""
    if plan.status == ProjectStatus.TERMINATED:
        return
    sale = plan.kind in SALES
    low, high = {
        ProjectKind.CONSTRUCTION: (5, 12),
        ProjectKind.PROCUREMENT: (3, 8),
        ProjectKind.LAND_MINING: (3, 5),
        ProjectKind.STATE_PROPERTY: (3, 5),
        ProjectKind.OTHER: (3, 6),
    }[ProjectKind(plan.kind)]
    high = min(high, MAX_BIDS // len(plan.lots))  # the whole project's bids stay within 3 to 12
    low = min(low, high)
    under_way = plan.status in (ProjectStatus.EVALUATING, ProjectStatus.PUBLICITY, ProjectStatus.AWARDED)
    demo_bidders = plan.kind == ProjectKind.CONSTRUCTION and (under_way or rng.random() < 0.4)
    for number, (_title, trade, estimate, _deposit) in enumerate(plan.lots, start=1):
        count = rng.randint(0, 2) if plan.status == ProjectStatus.FAILED else rng.randint(low, high)
        bidders = [(name, code, "") for name, code in companies.pick(rng, trade, count)]
        if demo_bidders and number == 1 and count:
            for n, user in enumerate(rng.sample(ctx.bidders, min(count, rng.randint(1, 3)))):
                bidders[n] = (user.full_name, str(user.credit_code), user.username)
            rng.shuffle(bidders)
        if not bidders:
            continue
        if sale:
            premium = rng.triangular(0.0, 0.12, 0.02)
            shares = [1 + premium] + [1 + rng.uniform(0, premium) for _n in bidders[1:]]
        else:
            saving = (
                rng.triangular(0.02, 0.10, 0.05)
                if plan.kind == ProjectKind.CONSTRUCTION
                else rng.triangular(0.005, 0.08, 0.03)
            )
            lowest = plan.evaluation_method == EvaluationMethod.LOWEST_PRICE or rng.random() < 0.7
            shares = [1 - saving] + [
                1 - (rng.uniform(0, saving) if lowest or n else rng.uniform(saving, saving + 0.03))
                for n, _b in enumerate(bidders[1:])
            ]
        for (name, code, username), share in zip(bidders, shares, strict=True):
            price = Decimal(round(float(estimate) * share)).quantize(CENT)
            plan.offers.append(Offer(number, name, code, price, username))
    plan.live_bids = len(plan.offers)


# --- Writing -----------------------------------------------------------------------------------------


def history_generate(departments: dict[str, Department], *, seed: int = SEED) -> int:
    """The demo trading centre's year: returns the projects generated now (0 when the history is there)."""
    city = Region.objects.get(code=CITY[0])
    if TenderDocument.objects.filter(project__region=city, body__endswith=HISTORY_MARK).exists():
        return 0
    ctx = _Context(departments, timezone.now())
    rng = random.Random(seed)
    plans = _plans(ctx, rng)
    _late_contract(ctx, rng, plans)
    alerts = _alert_plans(ctx, rng, plans)  # may adjust offers: before anything is signed
    with transaction.atomic():
        _projects_write(ctx, plans)
        _lots_write(plans)
        _documents_write(ctx, plans)
        closings = _records_write(ctx, plans)
        complaint_events = _complaints_write(ctx, rng, plans)  # first: one of them ends a tender
        events = _events(ctx, plans, closings) + complaint_events
        ProjectEvent.objects.bulk_create(events, batch_size=1000)
        _securities_write(ctx, rng, plans)
        _alerts_write(plans, alerts)
    return len(plans)


def _projects_write(ctx: _Context, plans: list[Plan]) -> None:
    """The projects, their codes drawn as one block per year from the region's counter (as
    ``project_register`` draws them one by one), in the order they were registered."""
    by_year: dict[int, list[Plan]] = defaultdict(list)
    for plan in sorted(plans, key=lambda p: p.timeline.created):
        by_year[timezone.localdate(plan.timeline.created).year].append(plan)
    codes: dict[int, str] = {}
    for year, year_plans in sorted(by_year.items()):
        counter, _created = ProjectCounter.objects.get_or_create(region=ctx.city, year=year)
        ProjectCounter.objects.filter(pk=counter.pk).update(last=F("last") + len(year_plans))
        last = ProjectCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
        for offset, plan in enumerate(year_plans):
            codes[id(plan)] = f"{ctx.city.code}-{year}-{last - len(year_plans) + offset + 1:04d}"
    rows = []
    for plan in plans:
        t = plan.timeline
        project = TradingProject(
            code=codes[id(plan)],
            region=ctx.city,
            kind=plan.kind,
            method=plan.method,
            evaluation_method=plan.evaluation_method,
            title=plan.title,
            tenderer_department=plan.tenderer,
            supervising_department=ctx.supervisors[plan.kind],
            budget=plan.budget,
            state_funded=plan.kind not in SALES,
            qualification=_qualification(plan),
            status=plan.status,
            documents_from=t.documents_from,
            documents_until=t.documents_until,
            bid_deadline=t.deadline,
            published_at=t.published,
            created_by=ctx.officer,
            created_at=t.created,
        )
        reached = _reached(plan.status)
        if ProjectStatus.REPORTED in reached:
            project.reported_at = t.reported
            project.report = _report(project, plan)
        if ProjectStatus.PUBLICITY in reached:
            project.publicity_from, project.publicity_until = t.publicity_from, t.publicity_until
        if ProjectStatus.AWARDED in reached:
            project.awarded_at = t.awarded
        if plan.status == ProjectStatus.CONTRACTED:
            project.contract_amount = sum((o.price for o in plan.winners()), Decimal(0))
            project.contract_signed_on = timezone.localdate(t.contract_at)
        plan.project = project
        rows.append(project)
    TradingProject.objects.bulk_create(rows, batch_size=500)


_ORDER = [
    ProjectStatus.OPENED,
    ProjectStatus.EVALUATING,
    ProjectStatus.REPORTED,
    ProjectStatus.PUBLICITY,
    ProjectStatus.AWARDED,
    ProjectStatus.CONTRACTED,
]


def _reached(status: str) -> list[str]:
    """The steps after the opening a project of ``status`` has been through."""
    return list(_ORDER[: _ORDER.index(ProjectStatus(status)) + 1]) if status in _ORDER else []


def _status_at(plan: Plan, at: datetime) -> str:
    """Where the project stood at ``at`` (for the journal's entries that do not move it)."""
    t = plan.timeline
    if plan.terminated is not None:
        return ProjectStatus.TERMINATED if at >= plan.terminated else ProjectStatus.BIDDING
    if at < t.deadline:
        return ProjectStatus.BIDDING
    if plan.status == ProjectStatus.FAILED:
        return ProjectStatus.FAILED if at >= t.opening_start else ProjectStatus.CLOSED
    if at < t.opening_start:
        return ProjectStatus.CLOSED
    if at < t.concluded:
        return ProjectStatus.OPENING
    stage = _stage(t, at)
    return stage if _ORDER.index(ProjectStatus(stage)) <= _ORDER.index(ProjectStatus(plan.status)) else plan.status


def _qualification(plan: Plan) -> str:
    text = QUALIFICATION[ProjectKind(plan.kind)]
    if plan.kind == ProjectKind.CONSTRUCTION:
        roads = any(word in plan.title for word in ("道路", "公路", "桥"))
        grade = "市政公用工程施工总承包三级" if roads else "建筑工程施工总承包二级"
        text = text.format(grade=grade, trade="市政公用工程" if roads else "建筑工程")
    return text


def _report(project: TradingProject, plan: Plan) -> str:
    """The evaluation report as the platform writes it (evaluation_report), of the generated offers."""
    scoring = plan.evaluation_method == EvaluationMethod.SCORING
    lots = []
    for number in sorted({o.lot for o in plan.offers}):
        ranked = [o for o in plan.offers if o.lot == number]  # the winner first
        bids = [
            {"bidder": o.credit_code, "price": str(o.price), "total": str(Decimal(92 - 2.5 * n).quantize(CENT))}
            if scoring
            else {"bidder": o.credit_code, "price": str(o.price), "total": ""}
            for n, o in enumerate(ranked)
        ]
        lots.append({"lot": number, "bids": bids})
    content = {
        "project": project.code,
        "method": project.evaluation_method,
        "committee": 5 if plan.budget < 10**7 else 7,
        "outliers": 0,
        "lots": lots,
        "reported_at": stamp(plan.timeline.reported),
        "history": HISTORY_NOTE,
    }
    return canonical(content).decode()


def _lots_write(plans: list[Plan]) -> None:
    rows = []
    for plan in plans:
        failed = plan.status == ProjectStatus.FAILED
        for number, (title, _trade, estimate, security) in enumerate(plan.lots, start=1):
            rows.append(
                Lot(
                    project=plan.project,
                    number=number,
                    title=title,
                    estimate=estimate,
                    bid_security=security,
                    failed=failed,
                )
            )
    Lot.objects.bulk_create(rows, batch_size=1000)


def _notice_words(plan: Plan) -> tuple[str, str, str]:
    if plan.kind == ProjectKind.PROCUREMENT:
        return PROCUREMENT_NOTICE[TradingMethod(plan.method)], "采购预算", "响应文件递交"
    return NOTICE[ProjectKind(plan.kind)]


def _documents_write(ctx: _Context, plans: list[Plan]) -> None:
    """Each project's notice with its documents (version 1), its digest as ``notice_publish`` takes it."""
    rows = []
    for plan in plans:
        notice, amount, step = _notice_words(plan)
        t = plan.timeline
        body = (
            f"一、项目概况\n{plan.title}，{amount}{plan.budget:,.2f}元，共{len(plan.lots)}个标段（包）；"
            f"{plan.tenderer.name}为招标人（采购人、出让人），{ctx.supervisors[plan.kind].name}为监督部门。\n"
            f"二、资格要求\n{_qualification(plan)}\n"
            f"三、文件获取\n{t.documents_from:%Y-%m-%d}至{t.documents_until:%Y-%m-%d}，在本平台下载。\n"
            f"四、{step}截止时间\n{timezone.localtime(t.deadline):%Y-%m-%d %H:%M}，逾期送达的不予受理。\n{HISTORY_MARK}"
        )
        rows.append(
            TenderDocument(
                project=plan.project,
                version=1,
                kind=DocumentKind.DOCUMENT,
                title=f"{plan.title}{notice}",
                body=body,
                sm3=sm3_hex(body.encode() + b"\x00"),
                deadline_after=t.deadline,
                published_by=ctx.officer,
                published_at=t.published,
            )
        )
    TenderDocument.objects.bulk_create(rows, batch_size=500)


def _records_write(ctx: _Context, plans: list[Plan]) -> dict[int, BidClosing]:
    """The closing of every project past its deadline and the opening record of every opened one, signed
    with the platform's key as the services sign them. The closing names no receipts — the history keeps
    none, so its root is the empty tree's, which anyone can recompute from the (no) published receipts —
    and both say in their signed content that they are generated."""
    empty_root = merkle_root([])
    closings: dict[int, BidClosing] = {}
    openings = []
    for plan in plans:
        project, t = plan.project, plan.timeline
        assert project is not None
        if plan.status == ProjectStatus.TERMINATED:
            continue
        closed_at = t.deadline + timedelta(seconds=plan.seed % 40)
        content = {
            "project": project.code,
            "deadline": stamp(t.deadline),
            "receipts": 0,
            "bids": plan.live_bids,
            "root": empty_root,
            "closed_at": stamp(closed_at),
            "history": HISTORY_NOTE,
        }
        text, signature, key = platform_sign(ctx.city, content)
        closings[id(plan)] = BidClosing(
            project=project,
            receipts=0,
            live_bids=plan.live_bids,
            root=empty_root,
            content=text,
            signature=signature,
            key=key,
            closed_at=closed_at,
        )
        if plan.status == ProjectStatus.FAILED:
            continue
        content = {
            "project": project.code,
            "started_at": stamp(t.opening_start),
            "concluded_at": stamp(t.concluded),
            "bids": [
                {
                    "lot": o.lot,
                    "bidder": o.name,
                    "credit_code": o.credit_code,
                    "ciphertext_sm3": None,
                    "status": "opened",
                    "price": str(o.price),
                }
                for o in sorted(plan.offers, key=lambda o: (o.lot, o.credit_code))
            ],
            "history": HISTORY_NOTE,
        }
        text, signature, key = platform_sign(ctx.city, content)
        openings.append(
            OpeningRecord(
                project=project,
                started_at=t.opening_start,
                window_ends=t.opening_start + rules.DECRYPTION_WINDOW,
                concluded_at=t.concluded,
                content=text,
                signature=signature,
                key=key,
            )
        )
    BidClosing.objects.bulk_create(closings.values(), batch_size=500)
    OpeningRecord.objects.bulk_create(openings, batch_size=500)
    return closings


def _event(
    plan: Plan,
    action: str,
    at: datetime,
    *,
    before: str = "",
    after: str = "",
    actor: User | None = None,
    note: str = "",
) -> ProjectEvent:
    """A journal entry; one that does not move the project keeps the status it had then."""
    before = before or _status_at(plan, at)
    return ProjectEvent(
        project=plan.project,
        action=action,
        from_status=before,
        to_status=after or before,
        actor=actor,
        note=note,
        at=at,
    )


def _events(ctx: _Context, plans: list[Plan], closings: dict[int, BidClosing]) -> list[ProjectEvent]:
    """Each project's journal, as the services write it step by step."""
    S = ProjectStatus
    officer = ctx.officer
    events = []
    for plan in plans:
        t = plan.timeline
        title = f"{plan.title}{_notice_words(plan)[0]}"
        events.append(_event(plan, "publish", t.published, before=S.DRAFT, after=S.BIDDING, actor=officer, note=title))
        if plan.terminated is not None:
            note = plan.termination_note or TERMINATION[ProjectKind(plan.kind)]
            events.append(_event(plan, "terminate", plan.terminated, before=S.BIDDING, after=S.TERMINATED, note=note))
            continue
        closing = closings[id(plan)]
        note = f"{plan.live_bids} / {closing.root}"
        events.append(_event(plan, "close", closing.closed_at, before=S.BIDDING, after=S.CLOSED, note=note))
        if plan.status == S.FAILED:
            note = "投标人少于三个，不得开标。"
            events.append(
                _event(plan, "fail", t.opening_start, before=S.CLOSED, after=S.FAILED, actor=officer, note=note)
            )
            continue
        reached = _reached(plan.status)
        events.append(_event(plan, "opening_start", t.opening_start, before=S.CLOSED, after=S.OPENING, actor=officer))
        events.append(_event(plan, "opening_conclude", t.concluded, before=S.OPENING, after=S.OPENED, actor=officer))
        if S.EVALUATING in reached:
            events.append(_event(plan, "evaluate", t.evaluate, before=S.OPENED, after=S.EVALUATING, actor=officer))
        if S.REPORTED in reached:
            lots = {o.lot for o in plan.offers}
            candidates = sum(min(rules.MAX_CANDIDATES, sum(o.lot == n for o in plan.offers)) for n in lots)
            events.append(
                _event(
                    plan,
                    "report",
                    t.reported,
                    before=S.EVALUATING,
                    after=S.REPORTED,
                    actor=officer,
                    note=str(candidates),
                )
            )
        if S.PUBLICITY in reached:
            events.append(
                _event(plan, "publicise", t.publicity_from, before=S.REPORTED, after=S.PUBLICITY, actor=officer)
            )
        if S.AWARDED in reached:
            winners = "、".join(dict.fromkeys(o.name for o in plan.winners()))
            events.append(_event(plan, "award", t.awarded, before=S.PUBLICITY, after=S.AWARDED, note=winners))
        if S.CONTRACTED in reached:
            note = "late" if plan.late_contract else ""
            events.append(_event(plan, "contract", t.contract_at, before=S.AWARDED, after=S.CONTRACTED, note=note))
    return events


def _late_contract(ctx: _Context, rng: random.Random, plans: list[Plan]) -> None:
    """One contract signed more than 30 days after the award, journalled as the service journals it
    (``late``): the sweep's red card for it is the one the history carries."""
    room = [
        p
        for p in plans
        if p.status == ProjectStatus.CONTRACTED
        and p.kind == ProjectKind.CONSTRUCTION
        and timezone.localdate(p.timeline.awarded) + timedelta(days=40) < ctx.today
    ]
    if room:
        plan = rng.choice(room)
        plan.late_contract = True
        plan.timeline.contract_at = _at(
            timezone.localdate(plan.timeline.awarded) + timedelta(days=rng.randint(33, 38)), 15
        )


def _securities_write(ctx: _Context, rng: random.Random, plans: list[Plan]) -> None:
    """The demo bidders' securities, recorded before the deadline and refunded with interest within the 5
    days after the step that released them (招标投标法实施条例 §57); held while the project is under way."""
    lots = {(lot.project_id, lot.number): lot for lot in Lot.objects.filter(project__in=[p.project for p in plans])}
    bidders = {u.username: u for u in ctx.bidders}
    forms = [SecurityForm.TRANSFER, SecurityForm.TRANSFER, SecurityForm.GUARANTEE, SecurityForm.INSURANCE]
    prefixes = {SecurityForm.TRANSFER: "ZZ", SecurityForm.GUARANTEE: "BH", SecurityForm.INSURANCE: "BX"}
    rows = []
    for plan in plans:
        t = plan.timeline
        released = {ProjectStatus.CONTRACTED: t.contract_at, ProjectStatus.FAILED: t.opening_start}.get(
            ProjectStatus(plan.status)
        )
        for offer in plan.offers:
            lot = lots[(_pk(plan), offer.lot)]
            if not offer.username or not lot.bid_security:
                continue
            received = _at(timezone.localdate(t.deadline) - timedelta(days=rng.randint(1, 6)), rng.uniform(9, 17))
            form = rng.choice(forms)
            security = BidSecurity(
                lot=lot,
                bidder=bidders[offer.username],
                amount=lot.bid_security,
                form=form,
                reference=f"{prefixes[form]}{timezone.localtime(received):%Y%m%d}{rng.randint(1000, 9999)}",
                received_at=received,
                recorded_by=ctx.officer,
            )
            if released is not None:
                security.refund_due = timezone.localdate(released) + timedelta(days=rules.SECURITY_REFUND_DAYS)
                refunded = _at(timezone.localdate(released) + timedelta(days=rng.randint(1, 4)), rng.uniform(9, 17))
                if refunded < ctx.now:  # else still due, within its 5 days
                    days = (refunded - received).days
                    cash = form == SecurityForm.TRANSFER
                    interest = lot.bid_security * Decimal("0.0035") * days / 365 if cash else Decimal(0)
                    security.status, security.refunded_at = SecurityStatus.REFUNDED, refunded
                    security.interest, security.closed_by = interest.quantize(CENT), ctx.officer
            rows.append(security)
    BidSecurity.objects.bulk_create(rows, batch_size=500)


def _pk(plan: Plan) -> int:
    assert plan.project is not None
    return int(plan.project.pk)


def _complaints_write(ctx: _Context, rng: random.Random, plans: list[Plan]) -> list[ProjectEvent]:
    """A handful of complaints by the demo bidders to the supervisor of construction (住建局): on the
    opening, dismissed; on the candidates after the objection's answer, partly upheld; out of time,
    refused; withdrawn; one accepted and still within its time; and one on the documents, upheld after
    the tenderer's answer to the objection — whereupon the tender was terminated. Returns their journal."""
    S, C = ProjectStatus, ComplaintStatus
    construction = [p for p in plans if p.kind == ProjectKind.CONSTRUCTION]
    old = ctx.now - timedelta(days=30)
    done = [
        p
        for p in construction
        if p.status == S.CONTRACTED and any(o.username for o in p.offers) and p.timeline.contract_at < old
    ]
    rng.shuffle(done)
    bidders = {u.username: u for u in ctx.bidders}
    events: list[ProjectEvent] = []
    complaints: list[Complaint] = []
    objections: list[Objection] = []

    def complainant(plan: Plan) -> User:
        return bidders[next((o.username for o in plan.offers if o.username), "demo-bidder-2")]

    def lodge(plan: Plan, subject: str, filed: datetime, text: tuple[str, str], known: date) -> Complaint:
        complaint = Complaint(
            project=plan.project,
            subject=subject,
            complainant=complainant(plan),
            request=text[0],
            grounds=text[1],
            known_on=known,
            filed_at=filed,
            accept_due=ctx.add_working(timezone.localdate(filed), 3),
        )
        events.append(_event(plan, "complaint", filed))
        complaints.append(complaint)
        return complaint

    def accept(plan: Plan, complaint: Complaint, at: datetime) -> None:
        complaint.status, complaint.accepted_at, complaint.handled_by = C.ACCEPTED, at, ctx.supervisor
        complaint.decide_due = ctx.add_working(timezone.localdate(at), rules.COMPLAINT_DECISION_WORKING_DAYS)
        events.append(_event(plan, "complaint_accept", at, actor=ctx.supervisor))

    def decide(plan: Plan, complaint: Complaint, at: datetime, outcome: str, decision: str) -> None:
        complaint.status, complaint.outcome, complaint.decision, complaint.decided_at = C.DECIDED, outcome, decision, at
        events.append(_event(plan, "complaint_decide", at, actor=ctx.supervisor, note=outcome))

    def object_to(plan: Plan, subject: str, raised: datetime, answered: datetime, text: str, answer: str) -> Objection:
        objection = Objection(
            project=plan.project,
            subject=subject,
            raised_by=complainant(plan),
            text=text,
            raised_at=raised,
            answer_due=rules.objection_answer_due(raised),
            answer=answer,
            answered_at=answered,
        )
        objections.append(objection)
        return objection

    if len(done) >= 4:
        plan, t = done[0], done[0].timeline
        complaint = lodge(
            plan,
            ComplaintSubject.OPENING,
            t.concluded + timedelta(days=1, hours=2),
            (
                "请求认定开标无效，重新组织开标。",
                "开标时我公司投标文件解密界面长时间无响应，怀疑平台故障影响解密。",
            ),
            timezone.localdate(t.deadline),
        )
        accept(plan, complaint, t.concluded + timedelta(days=2, hours=1))
        decide(
            plan,
            complaint,
            t.concluded + timedelta(days=9),
            ComplaintOutcome.DISMISSED,
            "经调取平台日志核查，开标期间平台运行正常，投诉人在解密时限内完成解密，投诉缺乏事实依据，予以驳回。",
        )

        plan, t = done[1], done[1].timeline
        raised = t.publicity_from + timedelta(days=1, hours=1)
        answered = raised + timedelta(days=2)
        objection = object_to(
            plan,
            ObjectionSubject.CANDIDATES,
            raised,
            answered,
            "第一中标候选人拟派项目经理在其他在建工程中担任项目经理，不符合招标文件要求。",
            "经核查，该项目经理原任职项目已竣工验收，变更手续正在办理中，招标人维持评标结果。",
        )
        events.append(_event(plan, "objection", raised))
        events.append(_event(plan, "objection_answer", answered))
        complaint = lodge(
            plan,
            ComplaintSubject.CANDIDATES,
            answered + timedelta(hours=20),
            (
                "请求取消第一中标候选人的中标候选人资格。",
                "招标人对异议的答复未附竣工验收证明，项目经理在建情况未核实清楚。",
            ),
            timezone.localdate(raised),
        )
        complaint.objection = objection
        accept(plan, complaint, answered + timedelta(days=2))
        decide(
            plan,
            complaint,
            answered + timedelta(days=8),
            ComplaintOutcome.PARTLY_UPHELD,
            "项目经理变更手续在公示期内已办结，不影响中标结果；招标人答复异议未附证明材料，责令改正。",
        )

        plan, t = done[2], done[2].timeline
        complaint = lodge(
            plan,
            ComplaintSubject.AWARD,
            t.contract_at + timedelta(days=20),
            (
                "请求确认中标无效。",
                "中标人在投标文件中提供的业绩存在虚假。",
            ),
            timezone.localdate(t.awarded),
        )
        complaint.status, complaint.handled_by = C.REFUSED, ctx.supervisor
        complaint.decided_at = complaint.filed_at + timedelta(days=2)
        complaint.decision = (
            "投诉人自知道或者应当知道之日起超过10日提出投诉，不符合招标投标法实施条例第六十条规定，不予受理。"
        )
        events.append(_event(plan, "complaint_refuse", complaint.decided_at, actor=ctx.supervisor))

        plan, t = done[3], done[3].timeline
        complaint = lodge(
            plan,
            ComplaintSubject.OPENING,
            t.concluded + timedelta(hours=5),
            (
                "请求核实开标记录中第三名投标人的报价。",
                "开标记录中第三名投标人的报价与其公示的报价不一致。",
            ),
            timezone.localdate(t.deadline),
        )
        complaint.status, complaint.decided_at = C.WITHDRAWN, t.concluded + timedelta(days=1, hours=3)
        events.append(_event(plan, "complaint_withdraw", complaint.decided_at))
    awarded = [p for p in construction if p.status == S.AWARDED and any(o.username for o in p.offers)]
    if awarded:
        plan, t = awarded[0], awarded[0].timeline
        span = ctx.now - t.awarded
        complaint = lodge(
            plan,
            ComplaintSubject.AWARD,
            t.awarded + span / 3,
            (
                "请求暂停签订合同并重新评审。",
                "中标人投标报价明显低于其他投标报价，评标委员会未要求其作出书面说明并提供证明材料。",
            ),
            timezone.localdate(t.awarded),
        )
        accept(plan, complaint, t.awarded + span * 2 / 3)
    terminated = [p for p in construction if p.terminated is not None]
    if terminated:
        plan, t = terminated[0], terminated[0].timeline
        assert plan.terminated is not None
        span = plan.terminated - t.published
        raised, answered = t.published + span / 5, t.published + span * 3 / 10
        objection = object_to(
            plan,
            ObjectionSubject.DOCUMENTS,
            raised,
            answered,
            "招标文件以本市同类工程业绩作为加分条件，排斥外地潜在投标人。",
            "该业绩要求系根据项目特点设置，不构成对潜在投标人的歧视。",
        )
        events.append(_event(plan, "objection", raised, before=S.BIDDING, after=S.PAUSED))
        events.append(_event(plan, "objection_answer", answered, before=S.PAUSED))
        events.append(_event(plan, "resume", answered, before=S.PAUSED, after=S.BIDDING))
        filed = t.published + span * 2 / 5
        complaint = lodge(
            plan,
            ComplaintSubject.DOCUMENTS,
            filed,
            (
                "请求责令招标人修改招标文件。",
                "招标文件以特定行政区域的业绩作为加分条件（招标投标法实施条例第三十二条）。",
            ),
            timezone.localdate(answered),
        )
        complaint.objection = objection
        plan.termination_note = "监督部门认定投诉成立，责令修改招标文件；招标人终止本次招标，修改招标文件后重新招标。"
        accept(plan, complaint, t.published + span / 2)
        decide(
            plan,
            complaint,
            t.published + span * 4 / 5,
            ComplaintOutcome.UPHELD,
            "投诉成立：招标文件以特定行政区域的业绩作为加分条件，违反招标投标法实施条例第三十二条，"
            "责令招标人修改招标文件后重新招标。",
        )
    Objection.objects.bulk_create(objections)  # first: the complaints name them
    Complaint.objects.bulk_create(complaints)
    return events


@dataclass
class _Card:
    plan: Plan
    rule: str
    basis: str  # with "{lot}" for the lot's key, known once the lots are written
    detail: str
    at: datetime


def _alert_plans(ctx: _Context, rng: random.Random, plans: list[Plan]) -> list[_Card]:
    """Cards of the e-supervision sweep (docs/trading.md §9), worded as it words them: two bidders with one
    price and three prices in one step (the offers made so, in the opening record), one address and one
    device behind two bidders, an expert often on one tenderer's committees, and the late contract's red
    card."""
    opened = [p for p in plans if p.status == ProjectStatus.CONTRACTED and not p.late_contract]
    rng.shuffle(opened)
    cards: list[_Card] = []

    def first_lot(plan: Plan) -> list[Offer]:
        return [o for o in plan.offers if o.lot == 1]

    same = next((p for p in opened if len(first_lot(p)) >= 4), None)
    if same is not None:
        offers = first_lot(same)
        offers[-1].price = offers[-2].price
        detail = f"2个投标人共用报价 {offers[-1].price}。"
        cards.append(_Card(same, AlertRule.SAME_PRICE, f"{{lot}}:{offers[-1].price}", detail, same.timeline.concluded))
    step = next((p for p in opened if p is not same and len(first_lot(p)) == 3 and p.kind not in SALES), None)
    if step is not None:
        offers = first_lot(step)
        estimate = step.lots[0][2]
        gap = max(Decimal(1), ((estimate - offers[0].price) / 3).quantize(Decimal(1)))
        offers[1].price, offers[2].price = offers[0].price + gap, offers[0].price + 2 * gap
        prices = ", ".join(str(o.price) for o in offers)
        cards.append(
            _Card(step, AlertRule.PRICE_PATTERN, "{lot}:step", f"报价呈等差：{prices}。", step.timeline.concluded)
        )
    others = [p for p in opened if p is not same and p is not step]
    if len(others) >= 3:
        address = "203.0.113.57"  # TEST-NET-3: no real address
        detail = f"2个投标人共用地址 {address}。"
        cards.append(_Card(others[0], AlertRule.SAME_ADDRESS, address, detail, others[0].timeline.concluded))
        device = sm3_hex(b"demo-device")
        detail = f"2个投标人共用设备指纹 {device}。"
        cards.append(_Card(others[1], AlertRule.SAME_DEVICE, device, detail, others[1].timeline.concluded))
        experts = list(Expert.objects.filter(user__username__startswith=EXPERT_PREFIX).values_list("pk", flat=True))
        if experts:
            number = experts[rng.randrange(len(experts))]
            detail = f"编号{number}的专家一年内参加该招标人3个项目的评标。"
            cards.append(
                _Card(others[2], AlertRule.REPEATED_EXPERT, f"expert:{number}:3", detail, others[2].timeline.concluded)
            )
    late = next((p for p in plans if p.late_contract), None)
    if late is not None:
        cards.append(_Card(late, AlertRule.LATE_STEP, "contract", "合同签订超过法定期限。", late.timeline.contract_at))
    return cards


def _alerts_write(plans: list[Plan], cards: list[_Card]) -> None:
    lots = {(lot.project_id, lot.number): lot.pk for lot in Lot.objects.filter(project__in=[p.project for p in plans])}
    Alert.objects.bulk_create(
        Alert(
            project=card.plan.project,
            rule=card.rule,
            colour=COLOURS[card.rule],
            basis=card.basis.format(lot=lots[(_pk(card.plan), 1)]),
            detail=card.detail,
            issued_at=card.at + timedelta(minutes=10),  # the sweep runs every ten minutes
        )
        for card in cards
    )


# --- The expert pool --------------------------------------------------------------------------------


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


__all__ = ["EXPERTS", "HISTORY_MARK", "experts_generate", "history_generate"]

# Every specialty appears among the employers' lent ones (a draw of any specialty finds experts).
assert {s for _n, _p, lends in EMPLOYERS for s in lends} == set(Specialty.values)
