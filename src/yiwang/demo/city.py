"""The demo city 示范市: regions, departments, the service centre and its hall, demo accounts.

Division codes use the 99 prefix, which GB/T 2260 leaves unused, so a real region imported
later can never collide with the demo. Loading is idempotent: every row is matched on its
natural key, so a second load adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts.models import AccountKind, User
from yiwang.accounts.roles import Role
from yiwang.accounts.services import role_grant, user_create
from yiwang.core.errors import PermissionDenied
from yiwang.core.identifiers import credit_code_with_check
from yiwang.organisation.models import Department, Hall, Region, RegionLevel, WindowTheme
from yiwang.organisation.services import (
    centre_ensure,
    department_upsert,
    hall_ensure,
    region_upsert,
    window_group_ensure,
    windows_ensure,
)

CITY = ("990100", "示范市")
DISTRICTS = [
    ("990102", "城东区", [("990102001", "东湖街道"), ("990102002", "朝阳街道")]),
    ("990103", "城西区", [("990103001", "西山街道"), ("990103002", "和平街道")]),
    ("990104", "高新区", [("990104001", "科技城街道"), ("990104002", "创业街道")]),
]

CENTRE_ADDRESS = "示范市城东区市民大道 1 号"

# (key, name, short name): the departments the seed reports name.
DEPARTMENTS = [
    ("police", "示范市公安局", "公安局"),
    ("hrss", "示范市人力资源和社会保障局", "人社局"),
    ("tax", "国家税务总局示范市税务局", "税务局"),
    ("market", "示范市市场监督管理局", "市场监管局"),
    ("housing", "示范市住房和城乡建设局", "住建局"),
    ("resources", "示范市自然资源局", "自然资源局"),
    ("health", "示范市卫生健康委员会", "卫健委"),
    ("civil", "示范市民政局", "民政局"),
    ("education", "示范市教育局", "教育局"),
    ("transport", "示范市交通运输局", "交通运输局"),
    ("services", "示范市政务服务数据管理局", "政数局"),
    ("finance", "示范市财政局", "财政局"),
]

# Window groups of the demo hall: the four general themes and the three special windows.
WINDOW_GROUPS = [
    (WindowTheme.SOCIAL_LIVELIHOOD, "社会民生类综合窗口", None, ["A01", "A02", "A03", "A04"]),
    (WindowTheme.REGISTRATION, "注册登记类综合窗口", None, ["B01", "B02", "B03"]),
    (WindowTheme.BUSINESS_LICENSING, "经营许可类综合窗口", None, ["C01", "C02", "C03"]),
    (WindowTheme.INVESTMENT_CONSTRUCTION, "投资建设类综合窗口", None, ["D01", "D02", "D03"]),
    (WindowTheme.POLICE, "公安专项窗口", "police", ["E01", "E02"]),
    (WindowTheme.HUMAN_RESOURCES, "人社专项窗口", "hrss", ["F01", "F02"]),
    (WindowTheme.TAXATION, "税务专项窗口", "tax", ["G01", "G02", "G03"]),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    kind: str = AccountKind.STAFF
    department: str | None = None  # key in DEPARTMENTS
    region_scope: bool = True  # scope the role to the whole city
    id_number: str = ""  # fictional, valid-looking: the online hall prefills applications from it
    credit_code: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "demo-citizen",
        "张三",
        Role.CITIZEN,
        AccountKind.NATURAL_PERSON,
        region_scope=False,
        id_number="110101198001011232",
    ),
    # 秒批 demo: over 60 and registered in the city, she gets her 老年人优待证 without anyone's hand.
    DemoAccount(
        "demo-senior",
        "王桂兰",
        Role.CITIZEN,
        AccountKind.NATURAL_PERSON,
        region_scope=False,
        id_number="11010219580312002X",
    ),
    DemoAccount(
        "demo-company",
        "示范科技有限公司",
        Role.COMPANY,
        AccountKind.LEGAL_PERSON,
        region_scope=False,
        credit_code="91110101MA00000018",
    ),
    DemoAccount("demo-clerk", "李窗口", Role.CLERK, department="services"),
    DemoAccount("demo-approver", "王审批", Role.APPROVER, department="market"),
    DemoAccount("demo-dept-head", "韩科长", Role.DEPT_HEAD, department="market"),
    DemoAccount("demo-dept-admin", "赵部门", Role.DEPT_ADMIN, department="market"),
    DemoAccount("demo-centre-admin", "钱中心", Role.CENTRE_ADMIN, department="services"),
    DemoAccount("demo-agent", "孙话务", Role.HOTLINE_AGENT, department="services"),
    DemoAccount("demo-dispatcher", "周派单", Role.DISPATCHER, department="services"),
    DemoAccount("demo-handler", "吴承办", Role.HANDLER, department="housing"),
    DemoAccount("demo-supervisor", "郑督查", Role.SUPERVISOR, department="services"),
    DemoAccount("demo-disclosure-officer", "冯公开", Role.DISCLOSURE_OFFICER, department="services"),
    # Disclosure (demo/disclosure): 政数局's second officer, who makes the confidentiality review of what
    # 冯公开 drafts (§17: never the drafter), and its head, who reviews normative documents and grants
    # extensions (§33); 市场监管局's officer, whose items and extensions demo-dept-head reviews and grants.
    DemoAccount("demo-disclosure-reviewer", "吕保密", Role.DISCLOSURE_OFFICER, department="services"),
    DemoAccount("demo-disclosure-head", "何局长", Role.DEPT_HEAD, department="services"),
    DemoAccount("demo-disclosure-market", "曹公示", Role.DISCLOSURE_OFFICER, department="market"),
    DemoAccount("demo-trading-officer", "陈交易", Role.TRADING_OFFICER, department="services"),
    DemoAccount("demo-expert", "褚专家", Role.EXPERT, AccountKind.NATURAL_PERSON, region_scope=False),
    DemoAccount(
        "demo-bidder",
        "示范建设工程有限公司",
        Role.BIDDER,
        AccountKind.LEGAL_PERSON,
        region_scope=False,
        credit_code="91990100MA00001016",
    ),
    # Public resource trading (demo/trading.py): the supervisor of construction tenders (管办分离: not
    # the centre), the tenderer's head, two arbiters keeping shares of opening keys, two more bidders.
    DemoAccount("demo-trading-supervisor", "严监督", Role.SUPERVISOR, department="housing"),
    DemoAccount("demo-tenderer", "孔校建", Role.DEPT_HEAD, department="education"),
    DemoAccount("demo-arbiter-1", "施公证", Role.EXPERT, AccountKind.NATURAL_PERSON, region_scope=False),
    DemoAccount("demo-arbiter-2", "柏仲裁", Role.EXPERT, AccountKind.NATURAL_PERSON, region_scope=False),
    DemoAccount(
        "demo-bidder-2",
        "示范路桥建设有限公司",
        Role.BIDDER,
        AccountKind.LEGAL_PERSON,
        region_scope=False,
        credit_code="91990100MA00001029",
    ),
    DemoAccount(
        "demo-bidder-3",
        "示范市政工程有限公司",
        Role.BIDDER,
        AccountKind.LEGAL_PERSON,
        region_scope=False,
        credit_code="91990100MA0000103C",
    ),
    # The system administrator configures the whole deployment: no region limit.
    DemoAccount("demo-sysadmin", "卫系统", Role.SYSADMIN, department="services", region_scope=False),
    DemoAccount("demo-secadmin", "蒋安全", Role.SECADMIN, department="services"),
    DemoAccount("demo-auditor", "沈审计", Role.AUDITOR, department="services"),
]


def demo_credit_code(index: int) -> str:
    # 1 = 机构编制 registration authority, 1 = 机关; then the city's code and a demo organisation code.
    return credit_code_with_check(f"11{CITY[0]}{index:09d}")


def demo_departments() -> dict[str, Department]:
    """The demo city's departments by their key in DEPARTMENTS."""
    codes = {demo_credit_code(index): key for index, (key, _name, _short) in enumerate(DEPARTMENTS, start=1)}
    return {codes[d.credit_code]: d for d in Department.objects.filter(credit_code__in=codes)}


@dataclass
class LoadSummary:
    regions: int
    departments: int
    accounts_created: int
    implementations_created: int = 0
    tickets_generated: int = 0
    cases_generated: int = 0
    disclosure_items: int = 0
    disclosure_requests: int = 0


@transaction.atomic
def demo_city_load() -> LoadSummary:
    """Loads 示范市; refuses in production, where demo accounts must never exist."""
    if settings.PRODUCTION:
        raise PermissionDenied(_("Demo data is never loaded in production mode."), code="production_mode")
    city, _created = region_upsert(actor=None, code=CITY[0], name=CITY[1], level=RegionLevel.CITY, parent=None)
    region_count = 1
    for code, name, streets in DISTRICTS:
        district, _created = region_upsert(actor=None, code=code, name=name, level=RegionLevel.DISTRICT, parent=city)
        region_count += 1
        for street_code, street_name in streets:
            region_upsert(actor=None, code=street_code, name=street_name, level=RegionLevel.TOWNSHIP, parent=district)
            region_count += 1

    departments: dict[str, Department] = {}
    for index, (key, name, short_name) in enumerate(DEPARTMENTS, start=1):
        departments[key], _created = department_upsert(
            actor=None, credit_code=demo_credit_code(index), name=name, region=city, short_name=short_name
        )

    centre = centre_ensure(
        actor=None,
        name="示范市政务服务中心",
        region=city,
        department=departments["services"],
        address=CENTRE_ADDRESS,
        phone="0999-12345",
        opening_hours="周一至周五 9:00-12:00，13:30-17:30（法定节假日除外）",
    )
    hall = hall_ensure(actor=None, centre=centre, name="综合服务大厅", location="市民中心一楼")
    for theme, group_name, department_key, numbers in WINDOW_GROUPS:
        group = window_group_ensure(
            actor=None,
            hall=hall,
            theme=theme,
            name=group_name,
            department=departments[department_key] if department_key else None,
        )
        windows_ensure(actor=None, group=group, numbers=numbers)
    from yiwang.demo.hall import demo_hall_load

    demo_hall_load(hall)

    created = sum(_demo_account_ensure(account, city, departments) for account in DEMO_ACCOUNTS)
    return LoadSummary(regions=region_count, departments=len(departments), accounts_created=created)


def demo_load(*, history: bool = True) -> LoadSummary:
    """The demo city, then its catalogue (kept apart so tests that need only the city stay quick), its
    e-licences and shared data, its 12345, its trading centre and its disclosure year (a few seconds,
    once) — with, unless ``history`` is off, a generated history of 20,000 dispatched tickets and the
    dispatch model learned from it (about a minute, once)."""
    from yiwang.demo.catalogue import demo_catalogue_load
    from yiwang.demo.hotline import demo_hotline_load
    from yiwang.demo.licences import demo_licences_load

    summary = demo_city_load()
    summary.implementations_created = demo_catalogue_load(demo_departments(), CENTRE_ADDRESS)
    demo_licences_load(demo_departments())
    demo_hotline_load(demo_departments())
    from yiwang.demo.hall import demo_slot_plans_load

    demo_slot_plans_load(Hall.objects.get(name="综合服务大厅"))
    from yiwang.demo.trading import demo_trading_load

    demo_trading_load(demo_departments())
    from yiwang.demo.disclosure import demo_disclosure_load

    disclosure = demo_disclosure_load(demo_departments())
    summary.disclosure_items, summary.disclosure_requests = disclosure.items, disclosure.requests
    # The disclosure year's records carry the days they happened: sealed into the audit chain now rather
    # than when the running platform's sealer next comes by, so the chain verifies at once.
    from yiwang.audit.services import audit_seal

    while audit_seal():
        pass
    if history:
        from yiwang.demo.hotline import demo_hotline_history

        summary.tickets_generated = demo_hotline_history()
        from yiwang.demo.hall import demo_performance_history

        summary.cases_generated = demo_performance_history()
    return summary


def _demo_account_ensure(account: DemoAccount, city: Region, departments: dict[str, Department]) -> bool:
    user = User.objects.filter(username=account.username).first()
    created = user is None
    if user is None:
        user = user_create(
            username=account.username,
            password=settings.YIWANG_DEMO_PASSWORD,
            kind=account.kind,
            full_name=account.full_name,
            id_number=account.id_number,
            credit_code=account.credit_code or None,
        )
    role_grant(
        actor=None,
        user=user,
        role=account.role,
        department=departments[account.department] if account.department else None,
        region=city if account.region_scope else None,
    )
    return created
