"""Chinese person names in a page's text.

Three readings, from the surest to the loosest: a name after a form label (申请人：, 姓名：…), a name
before a courtesy title (张先生, 李女士), and a word jieba tags as a person name (``nr``) that starts
with a surname. The last guesses; a person confirms every hit, and the surname test keeps the guesses
few.
"""

from __future__ import annotations

import re

import jieba
import jieba.posseg

from .patterns import Span

# The most common surnames (about 95% of the population), and the compound ones still in use.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
    "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车"
    "项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛"
    "仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜"
    "海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜"
    "羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信"
    "展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND = "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯令狐端木独孤南宫呼延闻人澹台公冶万俟单于钟离轩辕"
_COMPOUND_SURNAMES = tuple(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))

_LABELS = (
    "姓名|申请人|联系人|委托人|代理人|受托人|法定代表人|负责人|经办人|当事人|被申请人|第三人|举报人|投诉人|"
    "收件人|签收人|户主|监护人|承办人"
)
_LABELLED = re.compile(rf"(?:{_LABELS})(?:姓名)?\s*[:：]\s*([\u4e00-\u9fff·]{{2,10}})")
_TITLED = re.compile(r"([\u4e00-\u9fff]{1,4})(?=先生|女士|同志)")
# What follows a name in a form written without separators (申请人：李四电话：…).
_FIELD_AFTER = re.compile(
    r"身份|电话|手机|性别|[男女]$|地址|住址|联系|证件|年龄|民族|出生|职业|单位|邮编|签字|日期|于|在"
)
# A label followed by an organisation, not a person.
_ORGANISATION_ENDINGS = (
    "公司",
    "单位",
    "机关",
    "委员会",
    "政府",
    "局",
    "院",
    "所",
    "中心",
    "协会",
    "学校",
    "银行",
    "部",
)
# Words jieba tags as names that are roles, titles or places (申请人, 李先生, 岳麓区), or names already
# made anonymous (冯某).
_NOT_NAME_ENDINGS = (
    *("人", "者", "某", "先生", "女士", "同志", "老师", "主任", "局长", "科长"),
    *("省", "市", "区", "县", "镇", "乡", "村", "路", "街", "巷", "山", "河", "湖", "江"),
    *("局", "厅", "处", "科", "院", "所", "校", "司", "部", "委", "办", "组", "队"),
)
_COMMON_WORD = 100
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def names(text: str) -> list[Span]:
    spans = []
    for match in _LABELLED.finditer(text):
        name = _name_after_label(match.group(1))
        if name:
            spans.append(Span("name", match.start(1), match.start(1) + len(name)))
    for match in _TITLED.finditer(text):
        name = _name_before_title(match.group(1))
        if name:
            spans.append(Span("name", match.end(1) - len(name), match.end(1)))
    spans.extend(_tagged_names(text))
    return spans


def _name_after_label(words: str) -> str | None:
    if words.endswith(_ORGANISATION_ENDINGS):
        return None
    cut = _FIELD_AFTER.search(words, 2)
    name = words[: cut.start()] if cut else words
    if len(name) > 4 and "·" not in name:
        # A run of characters longer than a name: jieba tells where the name ends.
        first = _words(name)[0]
        name = first if _starts_with_surname(first) else name[:3]
    if len(name) < 2 or name.endswith(_ORGANISATION_ENDINGS):
        return None
    return name


def _name_before_title(before: str) -> str | None:
    # 张三先生, 欧阳娜娜女士, 致李先生: a tail of the usual length that starts with a surname, else the
    # surname alone.
    for size in (4, 3):
        if len(before) >= size and before[-size:].startswith(_COMPOUND_SURNAMES):
            return before[-size:]
    for size in (3, 2, 1):
        if len(before) >= size and before[-size] in _SURNAMES:
            return before[-size:]
    return None


def _tagged_names(text: str) -> list[Span]:
    spans = []
    offset = 0
    previous = ""
    for pair in jieba.posseg.cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        if flag == "nr" and _HAN.match(word):
            if len(previous) == 1 and previous in _SURNAMES and len(word) <= 2 and word[0] not in _SURNAMES:
                # 张秀英 cut as 张 + 秀英: the surname stands alone before the given name.
                spans.append(Span("name", offset - 1, offset + len(word)))
            elif _looks_like_name(word):
                spans.append(Span("name", offset, offset + len(word)))
        previous = word
        offset += len(word)
    return spans


def _looks_like_name(word: str) -> bool:
    if not 2 <= len(word) <= 4 or not _starts_with_surname(word) or word.endswith(_NOT_NAME_ENDINGS):
        return False
    # jieba's dictionary tags common words as names too (胡同, 许可, 陈述, 谢谢): a word it has seen
    # often is a word, while people's names are rare in it or absent.
    return int(jieba.dt.FREQ.get(word) or 0) < _COMMON_WORD


def _starts_with_surname(word: str) -> bool:
    if word.startswith(_COMPOUND_SURNAMES):
        return True
    return bool(word) and word[0] in _SURNAMES


def _words(text: str) -> list[str]:
    return list(jieba.lcut(text)) or [text]
