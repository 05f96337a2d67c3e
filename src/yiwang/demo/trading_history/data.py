"""The history's fixed figures and words: its seed and mark, how many projects of each kind (and how many
failed, were terminated or are still under way), the titles' templates and the words that fill them,
the companies' names by trade, the qualification, notice and termination wording, and the expert
pool's names and employers."""

from __future__ import annotations

from decimal import Decimal

from yiwang.demo.city import DISTRICTS
from yiwang.trading.models import ProjectKind, ProjectStatus, Specialty, TradingMethod

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
    ProjectKind.PROCUREMENT: [ProjectStatus.EVALUATING, ProjectStatus.DELIVERED, ProjectStatus.AWARDED],
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

# Every specialty appears among the employers' lent ones (a draw of any specialty finds experts).
assert {s for _n, _p, lends in EMPLOYERS for s in lends} == set(Specialty.values)
