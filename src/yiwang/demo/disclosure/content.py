# ruff: noqa: E501  (tables of Chinese text, as demo/catalogue.py)
"""What the demo's two disclosure offices publish: the catalogue (公开目录), the guide (公开指南), the items
that recur each month, quarter and year, the normative documents with their interpretations, what the
2016 report also counts (responses, meetings, training, a complaint, the office), and what waits on the
desk at the demo's now. Who asks them for what is in ``asks``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yiwang.disclosure.choices import Channel, ItemKind

# --- the catalogue ----------------------------------------------------------------------------------------

# (category, its subcategories): the 公开目录 both bodies keep; an item names its place as "上级/下级".
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("机构职能", ()),
    ("政策文件", ("规范性文件", "其他文件", "政策解读")),
    ("规划计划", ()),
    ("财政信息", ("预算决算", "政府采购")),
    ("行政许可", ()),
    ("行政处罚", ()),
    ("政府信息公开年报", ()),
    ("其他", ("通知公告", "工作动态")),
)


@dataclass(frozen=True)
class Office:
    """A body's disclosure office: its accounts (keys of DEMO_ACCOUNTS) and its guide."""

    key: str  # the department's key in demo.city.DEPARTMENTS
    officer: str  # drafts, enters paper requests, replies
    reviewer: str  # 保密审查 of the officer's drafts
    head: str  # reviews normative documents and the annual report, grants extensions (§33)
    prefix: str  # 文号 prefix: 示政数规〔2025〕1号
    office: str
    address: str
    hours: str
    phone: str
    fax: str
    postcode: str
    website: str
    wechat: str
    weibo: str


HOURS = "周一至周五 上午9:00-12:00，下午13:30-17:30（法定节假日除外）"

SERVICES = Office(
    key="services",
    officer="demo-disclosure-officer",
    reviewer="demo-disclosure-reviewer",
    head="demo-disclosure-head",
    prefix="示政数",
    office="示范市政务服务数据管理局政务公开办公室",
    address="示范市城东区市民大道1号市民中心三楼305室",
    hours=HOURS,
    phone="0999-88123305",
    fax="0999-88123306",
    postcode="999001",
    website="示范市政务服务数据管理局门户网站",
    wechat="示范政务服务",
    weibo="@示范政数",
)

MARKET = Office(
    key="market",
    officer="demo-disclosure-market",
    reviewer="demo-dept-head",
    head="demo-dept-head",
    prefix="示市监",
    office="示范市市场监督管理局办公室（政务公开科）",
    address="示范市城西区和平路66号市场监管大楼二楼208室",
    hours=HOURS,
    phone="0999-88236208",
    fax="0999-88236209",
    postcode="999002",
    website="示范市市场监督管理局门户网站",
    wechat="示范市场监管",
    weibo="@示范市场监管",
)


def guide_text(office: Office, body_name: str) -> str:
    """公开指南 (§12): what is published and where, how to ask, how long it takes, fees, remedies."""
    return f"""一、主动公开
（一）公开范围：{body_name}依照《中华人民共和国政府信息公开条例》第十九条、第二十条的规定，主动公开机构职能、规范性文件、规划计划、财政预决算、行政许可、行政处罚、政府信息公开工作年度报告等政府信息，具体见本机关政府信息公开目录。
（二）公开方式：{office.website}“政府信息公开”专栏、示范市人民政府公报、政务微信公众号“{office.wechat}”、政务微博“{office.weibo}”，以及市民中心、市档案馆设立的政府信息查阅点。
（三）公开时限：属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内予以公开（条例第二十六条）。

二、依申请公开
（一）受理机构：{office.office}。地址：{office.address}（邮编{office.postcode}）；办公时间：{office.hours}；联系电话：{office.phone}；传真：{office.fax}。
（二）申请方式：
1. 当面申请：申请人到受理机构填写《政府信息公开申请表》；书写确有困难的，可以口头提出，由工作人员代为填写，申请人签字确认。
2. 信函申请：将申请表或者申请书邮寄至受理机构，信封左下角注明“政府信息公开申请”字样；以签收之日为收到申请之日。
3. 传真申请：将申请表传真至{office.fax}，并电话确认；以双方确认之日为收到申请之日。
4. 网上申请：登录一网平台“政府信息公开—我要申请”（/disclosure/apply/），以本人或者本单位账号提交；以提交之日为收到申请之日，平台即时告知申请编号。
申请内容应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；获取信息的方式和途径。
（三）办理时限：能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；需要延长的，经政府信息公开工作机构负责人同意，延长不超过20个工作日，并告知申请人（条例第三十三条）。申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正，答复期限自收到补正的申请之日起计算（条例第三十条）；征求第三方或者其他机关意见的时间不计算在答复期限内（条例第三十二条、第三十四条）。

三、收费
行政机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费：按件计收的，同一申请人一个自然月内累计申请10件以下（含）不收费，11—30件每件100元，31件以上每增加10件、每件加收100元；按量计收的，30页以下（含）不收费，31—100页每页10元，101—200页每页20元，201页以上每页40元。

四、监督和救济
申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向示范市人民政府政务公开办公室投诉、举报，也可以依法申请行政复议（自知道之日起60日内）或者提起行政诉讼（自知道之日起6个月内）。"""


# --- items ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """One item of a year: where it goes, what it is, when it is formed and how many working days later
    it is published (more than 20: late, §26)."""

    category: str  # "上级" or "上级/下级"
    title: str
    text: str
    month: int  # 13: January of the next year (December's figures)
    day: int
    lag: int = 2
    kind: str = ItemKind.GENERAL
    channels: tuple[str, ...] = (Channel.WEBSITE,)
    document_number: str = ""
    by_reviewer: bool = False  # drafted by the second officer (reviewed by the first)
    by_head: bool = False  # reviewed by the head rather than the second officer
    returned: str = ""  # the reviewer's reason for returning it once before passing it


WEB_WECHAT = (Channel.WEBSITE, Channel.WECHAT)
WEB_GAZETTE = (Channel.WEBSITE, Channel.GAZETTE)
EVERYWHERE = (Channel.WEBSITE, Channel.WECHAT, Channel.WEIBO, Channel.OTHER)


def services_year(year: int) -> list[ItemSpec]:
    """政数局's recurring items of ``year``; monthly figures come with the month after."""
    items = [
        ItemSpec("规划计划", f"示范市政务服务数据管理局{year}年工作计划",
                 f"{year}年，我局围绕“高效办成一件事”，重点推进政务服务标准化、规范化、便利化，深化数据共享和“一网通办”。", 1, 8),
        ItemSpec("财政信息/预算决算", f"示范市政务服务数据管理局{year}年部门预算",
                 f"经市人大批准，我局{year}年部门预算收支总额1865.32万元，其中基本支出1023.18万元，项目支出842.14万元。", 2, 12,
                 by_head=True, returned="“三公”经费表与预算批复数不一致，请核对后重新提交。" if year % 2 else ""),
        ItemSpec("财政信息/预算决算", f"示范市政务服务数据管理局{year}年“三公”经费预算情况说明",
                 f"{year}年“三公”经费预算12.60万元，其中公务接待费2.10万元，公务用车运行维护费10.50万元，无因公出国（境）费。", 2, 12),
        ItemSpec("机构职能", "示范市政务服务数据管理局主要职责和内设机构",
                 "负责全市政务服务体系建设和政务数据资源管理；内设办公室、政务服务科、数据资源科、电子政务科、12345热线管理科。", 3, 16),
        ItemSpec("规划计划", f"示范市{year}年政务公开工作要点",
                 "围绕稳预期、促发展、惠民生加强政策发布解读，持续提升依申请公开答复质量，推进基层政务公开标准化规范化。", 4, 15,
                 channels=WEB_GAZETTE),
        ItemSpec("行政许可", f"示范市政务服务中心进驻事项清单（{year}年动态调整）",
                 "根据部门申请和事项运行情况，调整进驻市政务服务中心的事项：新增12项，取消3项，变更办理窗口5项。", 5, 20),
        ItemSpec("其他/通知公告", "关于政务服务平台系统升级暂停服务的公告",
                 "因系统升级，一网平台将于本周六0:00至6:00暂停服务，给您带来不便，敬请谅解。", 6, 24, 1, channels=EVERYWHERE),
        ItemSpec("规划计划", f"示范市政务服务数据管理局{year}年上半年工作总结",
                 "上半年，市政务服务中心累计受理办件41.2万件，按时办结率99.8%；12345热线受理诉求18.6万件。", 7, 15),
        ItemSpec("财政信息/预算决算", f"示范市政务服务数据管理局{year - 1}年部门决算",
                 f"{year - 1}年度我局决算收入1902.45万元，支出1876.90万元，年末结转和结余25.55万元。", 8, 20, 24, by_head=True),
        ItemSpec("机构职能", "示范市政务服务数据管理局领导班子成员及分工",
                 "局长主持全面工作；副局长分管政务服务科、12345热线管理科；副局长分管数据资源科、电子政务科。", 9, 8),
        ItemSpec("其他/通知公告", "关于政务服务平台系统升级暂停服务的公告",
                 "因数据中心机房电力改造，一网平台将于本周日8:00至12:00暂停服务。", 10, 20, 1, channels=EVERYWHERE),
        ItemSpec("行政许可", f"示范市行政许可事项实施规范调整公告（{year}年第二批）",
                 "依据省级行政许可事项清单调整情况，同步调整我市行政许可事项实施规范21项。", 11, 5),
        ItemSpec("其他/通知公告", f"示范市政务服务数据管理局{year}年公开招聘编外工作人员公告",
                 "招聘政务服务中心综合窗口工作人员10名，报名时间为公告发布之日起7日内。", 11, 12, channels=EVERYWHERE),
    ]  # fmt: skip
    for month in range(1, 13):
        figures = 30000 + (month * 7919 + year) % 9000
        items.append(ItemSpec(
            "其他/工作动态", f"示范市政务服务运行情况通报（{year}年{month}月）",
            f"{month}月，市政务服务中心受理办件{figures}件，办结{figures - 37}件，按时办结率99.{(month * 3) % 10}%；"
            f"“一网通办”网上申请占比{78 + month % 9}%。", month + 1 if month < 12 else 13, 4,
            lag=23 if month == 9 else 2, channels=WEB_WECHAT,
        ))  # fmt: skip
        items.append(ItemSpec(
            "其他/工作动态", f"政务服务“好差评”情况通报（{year}年{month}月）",
            f"{month}月共收到评价{12000 + month * 311}条，好评率99.{(month * 7) % 10}%；差评{3 + month % 5}条，均已按期整改并回访。",
            month + 1 if month < 12 else 13, 8, by_reviewer=True,
        ))  # fmt: skip
    for quarter, month in enumerate((1, 4, 7, 10), start=1):
        items.append(ItemSpec(
            "财政信息/政府采购", f"示范市政务服务数据管理局{year}年第{quarter}季度政府采购意向",
            "本季度拟采购政务服务中心物业服务、政务云安全服务等项目，预算金额合计约380万元。", month, 10,
        ))  # fmt: skip
    return items


def market_year(year: int) -> list[ItemSpec]:
    """市场监管局's recurring items: a penalty decision a month, the month's food licences, the budget."""
    items = [
        ItemSpec("规划计划", f"示范市市场监督管理局{year}年工作计划",
                 "以食品安全、特种设备安全和公平竞争审查为重点，深化“双随机、一公开”监管。", 1, 10),
        ItemSpec("财政信息/预算决算", f"示范市市场监督管理局{year}年部门预算",
                 "部门预算收支总额6230.18万元。", 2, 14, by_head=True),
        ItemSpec("行政处罚", "行政强制措施决定书（查封、扣押）",
                 "当事人：示范市鑫源食品贸易有限公司。对涉嫌过期食品采取扣押措施，期限30日。", 7, 9, kind=ItemKind.ENFORCEMENT),
    ]  # fmt: skip
    traders = ("示范市老街餐饮管理有限公司", "示范市便民超市有限公司", "示范市康源药店", "示范市华美装饰工程有限公司",
               "示范市好味道食品厂", "示范市顺达二手车经纪有限公司", "示范市优品母婴用品店", "示范市金秤砣农贸市场",
               "示范市青禾培训学校", "示范市安居房产经纪有限公司", "示范市晨光乳业有限公司", "示范市星光眼镜店")  # fmt: skip
    for month in range(1, 13):
        fine = 5000 * (1 + month % 6)
        items.append(ItemSpec(
            "行政处罚", f"行政处罚决定书（示市监处罚〔{year}〕{month * 3 + 7}号）",
            f"当事人：{traders[month - 1]}。违法事实：经查，当事人存在违反《中华人民共和国食品安全法》等规定的行为。"
            f"处罚决定：警告，罚款人民币{fine}元。", month, 18, kind=ItemKind.PENALTY,
            document_number=f"示市监处罚〔{year}〕{month * 3 + 7}号",
        ))  # fmt: skip
        items.append(ItemSpec(
            "行政许可", f"食品经营许可准予许可信息公示（{year}年{month}月）",
            f"本月准予食品经营许可{40 + month * 3}件，变更{12 + month}件，注销{5 + month % 4}件。",
            month + 1 if month < 12 else 13, 6, kind=ItemKind.LICENSING,
        ))  # fmt: skip
    return items


@dataclass(frozen=True)
class Normative:
    """A 规范性文件 with its interpretation (政策解读), issued in a month of a year; ``replaces`` names the
    document it repeals on the day it is issued."""

    title: str
    text: str
    month: int
    day: int
    serial: int
    replaces: str = ""


# Year offsets: -2 is the year before the last full one, -1 the last full year, 0 this year.
SERVICES_NORMATIVE: dict[int, tuple[Normative, ...]] = {
    -2: (
        Normative(
            "示范市政务服务事项容缺受理办法（试行）",
            "第一条 为优化营商环境，对基本条件具备、主要申请材料齐全且符合法定形式，次要材料有欠缺的政务服务事项，先予受理。",
            5,
            12,
            2,
        ),
    ),
    -1: (
        Normative(
            "示范市政务服务事项容缺受理办法",
            "第一条 为规范容缺受理，申请人书面承诺在规定期限内补齐材料的，窗口先行受理并进入审查程序。"
            "第十八条 本办法自印发之日起施行，《示范市政务服务事项容缺受理办法（试行）》同时废止。",
            3,
            11,
            1,
            replaces="示范市政务服务事项容缺受理办法（试行）",
        ),
        Normative(
            "示范市政务数据共享管理实施细则",
            "第一条 为规范政务数据共享，明确共享目录、申请、使用和安全管理要求。第九条 无条件共享数据通过共享交换平台直接获取。",
            9,
            9,
            2,
        ),
    ),
    0: (
        Normative(
            "示范市政务服务“好差评”管理办法",
            "第一条 为建立以企业和群众满意度为导向的政务服务评价机制，实现评价、反馈、整改、监督全流程闭环。",
            3,
            18,
            1,
        ),
    ),
}

MARKET_NORMATIVE: dict[int, tuple[Normative, ...]] = {
    -1: (
        Normative(
            "示范市市场监管领域轻微违法行为不予行政处罚清单",
            "对首次违法、危害后果轻微并及时改正的12类情形，依法不予行政处罚，以教育、劝导为主。",
            6,
            16,
            1,
        ),
    ),
}

# Responses to public concern (回应解读), meetings and training: (month, day, kind, text, principal or attendees).
RESPONSES = (
    (3, 20, "press_conference", "“一网通办”改革进展新闻发布会", True),
    (5, 22, "online_interview", "政务服务“高效办成一件事”在线访谈", True),
    (6, 26, "social_media", "政务服务平台系统升级期间办事指引", False),
    (9, 12, "press_conference", "政务数据共享助力“免证办”新闻发布会", False),
    (10, 23, "other", "12345热线高频诉求集中回应", False),
)
MEETINGS = (
    (2, 26, "meeting", "政务公开工作例会", 15),
    (4, 24, "training", "《中华人民共和国政府信息公开条例》专题培训", 62),
    (6, 12, "meeting", "保密审查工作专题会", 8),
    (8, 28, "meeting", "政务公开工作例会", 14),
    (11, 19, "training", "依申请公开答复规范化培训", 45),
)
MARKET_MEETINGS = (
    (3, 14, "meeting", "市场监管政务公开工作会", 20),
    (9, 18, "training", "行政处罚信息公示培训", 38),
)
# The office in a year (the 2016 report's row 八): offices, reading points, full-time and part-time staff, budget.
OFFICE_YEAR = {"services": (1, 2, 2, 4, "12.00"), "market": (1, 1, 1, 2, "6.50")}
COMPLAINT = (7, 16, "申请人反映依申请公开答复书未载明救济途径，经核查已补正告知。")


def holiday_notice(start: date, end: date, name: str, make_up: list[date]) -> tuple[str, str]:
    """The hall's opening over a statutory holiday: title and text."""
    closed = f"{start.month}月{start.day}日至{end.month}月{end.day}日放假调休，共{(end - start).days + 1}天"
    worked = "、".join(f"{d.month}月{d.day}日（星期{'一二三四五六日'[d.weekday()]}）" for d in make_up)
    text = f"{closed}，政务服务大厅暂停对外服务；{worked + '正常上班；' if worked else ''}一网平台和12345热线照常服务。"
    return f"关于{end.year}年{name}假期政务服务大厅办公安排的通知", text


# What waits on the office's desk at the demo's now.
WAITING_DRAFT = ItemSpec("政策文件/其他文件", "示范市政务服务中心窗口服务规范（修订）",
                         "为进一步规范窗口服务行为，对首问负责、一次性告知、限时办结等制度作出修订。", 1, 1)  # fmt: skip
WAITING_NEAR_LIMIT = ItemSpec("政策文件/其他文件", "关于征求《示范市政务数据安全管理办法（征求意见稿）》意见的公告",
                              "为规范政务数据处理活动，保障数据安全，现向社会公开征求意见，征求意见期限为30日。", 1, 1)  # fmt: skip
WAITING_PASSED = ItemSpec("其他/通知公告", "关于开展政务服务“体验员”招募活动的公告",
                          "面向社会招募政务服务体验员30名，体验办事流程并提出改进建议。", 1, 1, lag=3, channels=EVERYWHERE)  # fmt: skip
WITHDRAWN_TITLE = "关于调整政务服务大厅周六延时服务时间的通知"
WITHDRAWN_TEXTS = ("自本月起，政务服务大厅周六延时服务时间调整为9:00至15:00。",
                   "自本月起，政务服务大厅周六延时服务时间调整为9:00至12:00。",
                   "通知所载服务时间有误，已更正后重新发布。")  # fmt: skip
