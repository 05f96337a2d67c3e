"""Personal data by pattern in a page's text: resident ID numbers, mobile numbers and addresses.

Each finder takes plain text and returns spans; where the text came from and how a span maps back to
boxes is the caller's business (``text.py``). A person confirms every hit, so a miss costs more than a
wrong proposal; but a flood of wrong proposals teaches people to click through, so look-alikes (a number
whose check character is wrong, a district with no dwelling in it) are not proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import jieba
import jieba.posseg

from yiwang.core.identifiers import resident_id_problem

from .values import Kind


@dataclass(frozen=True)
class Span:
    kind: Kind
    start: int
    end: int


# GB 11643: 18 characters, the last a MOD 11-2 check character; people write them in groups at times.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6} ?\d{8} ?\d{3}[0-9Xx])(?![0-9A-Za-z])")
# The 15-digit card of before 1999 (two-digit year, no check character).
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{15})(?![0-9A-Za-z])")
# Mainland mobile numbers (1[3-9] and nine digits), in groups or with the country code, never inside a
# longer run of digits (an order number, an ID number).
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9]\d(?:[ -]?\d{4}){2})(?![0-9])")


def id_numbers(text: str) -> list[Span]:
    spans = []
    for match in _ID18.finditer(text):
        if resident_id_problem(match.group(1).replace(" ", "").upper()) is None:
            spans.append(Span("id_number", match.start(1), match.end(1)))
    for match in _ID15.finditer(text):
        if _legacy_id_plausible(match.group(1)):
            spans.append(Span("id_number", match.start(1), match.end(1)))
    return spans


def _legacy_id_plausible(number: str) -> bool:
    # No check character to test: a province code and a real birth date keep order numbers out.
    if not "11" <= number[:2] <= "82":
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def mobiles(text: str) -> list[Span]:
    return [Span("mobile", match.start(1), match.end(1)) for match in _MOBILE.finditer(text)]


# --- Addresses ----------------------------------------------------------------------------------
# A Chinese address runs from the largest division to the room, each part closed by its own word:
# 省 / 市 / 区·县 / 镇·街道 / 村·社区 / 路·街 / 号 / 栋 / 单元 / 层 / 室. The parts are optional in
# the pattern; a match counts when it reaches down to a dwelling (a house number, a building, a room,
# a village group), since a district alone names a place, not a person's home.

_HAN = r"[\u4e00-\u9fff]"
_NUM = r"(?:\d{1,5}|[一二三四五六七八九十百零〇两]{1,4})"
_PARTS = [
    (
        "province",
        r"(?:(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃"
        r"|青海|台湾)省|(?:内蒙古|广西壮族|广西|西藏|宁夏回族|宁夏|新疆维吾尔|新疆)自治区|(?:北京|天津|上海|重庆)市"
        r"|(?:香港|澳门)特别行政区)",
    ),
    ("city", rf"(?:{_HAN}{{2,4}}(?:市|自治州|地区|盟))"),
    ("county", rf"(?:{_HAN}{{1,4}}(?:区|县|旗|市))"),
    ("town", rf"(?:{_HAN}{{1,6}}(?:街道|镇|乡))"),
    ("village", rf"(?:{_HAN}{{1,6}}(?:社区|村|居委会))"),
    ("group", rf"(?:{_NUM}组)"),
    ("road", rf"(?:(?:{_HAN}|\d){{1,10}}?(?:大道|大街|路|街|巷|弄|胡同)(?:{_NUM}(?:段|巷|弄))?)"),
    ("number", rf"(?:{_NUM}(?:[-之]{_NUM})?号(?:院)?)"),
    ("estate", rf"(?:{_HAN}{{2,8}}?(?:小区|花园|公寓|大厦|家园|新村))"),
    ("building", rf"(?:(?:{_NUM}|[A-Za-z])(?:号楼|栋|幢|座))"),
    ("unit", rf"(?:{_NUM}单元)"),
    ("floor", rf"(?:{_NUM}[层楼])"),
    # Bare digits are a room only right after a unit, building, floor or house number (2单元501).
    ("room", r"(?:\d{1,5}(?:室|号房|房)|(?:(?<=单元)|(?<=[栋幢座层楼号]))\d{1,5}(?![\d年月日时分秒天元个人次件份%]))"),
]
_ADDRESS = re.compile("".join(f"(?P<{name}>{pattern})?" for name, pattern in _PARTS))
_PLACE = frozenset(("province", "city", "county", "town", "village", "road", "estate"))
_DWELLING = frozenset(("village", "group", "number", "building", "unit", "floor", "room"))
# How far past the leftmost start an address may begin: the words a first part's name can swallow.
_START_SLACK = 6
# Prepositions, pronouns, particles and conjunctions (jieba's p, r, u, c) stand before an address, never
# inside its first part; so do the words that announce one.
_FUNCTION_WORDS = frozenset(("p", "r", "u", "c"))
_INTRODUCERS = frozenset(("地址", "住址", "住所", "户籍", "家住", "居住", "现居", "现住", "来自", "位于", "住在"))

_ADDRESS_LABEL = re.compile(
    r"(?:家庭住址|现住址|户籍地址|通讯地址|联系地址|居住地址|送达地址|邮寄地址|住址|地址|住所|户籍地|居住地)"
    r"\s*[:：]\s*([^\s,，。;；、:：()（）]{4,60})"
)
# A labelled address ends with its room or household, or where the next field of a form begins.
_LAST_PART = re.compile(r"室|号房|户")
_NEXT_FIELD = re.compile(r"(?:联系)?(?:电话|手机|邮编|邮政编码|身份证|证件|姓名|性别|日期|签名)")


def addresses(text: str) -> list[Span]:
    spans = []
    pos = 0
    while pos < len(text):
        match = _address_at(text, pos)
        if match is None:
            pos += 1
            continue
        # The leftmost reading swallows the words before the address (住址北京市 read as a city, 在朝阳区 as
        # a district). Of the readings that start a little later, those whose first part holds no word that
        # introduces an address (在, 家住, 地址) count; of them, the address is the one with the most parts,
        # then one that starts with a province (the one part named exactly), then one that starts a word
        # (黄河村, not 河村), then the earliest.
        context = max(0, pos - _START_SLACK)
        words = _words(text[context : match.end()], context)
        starts = {start for start, _end, _flag in words}
        readings = [_address_at(text, start) for start in range(pos, min(pos + _START_SLACK, match.end()))]
        candidates = [m for m in readings if m is not None and not _introduced(m, words)]
        if not candidates:
            pos += 1
            continue
        best = max(candidates, key=lambda m: (_parts(m), bool(m.group("province")), m.start() in starts, -m.start()))
        spans.append(Span("address", best.start(), best.end()))
        pos = best.end()
    for label in _ADDRESS_LABEL.finditer(text):
        value = label.group(1)
        cut = _NEXT_FIELD.search(value)
        value = value[: cut.start()] if cut else value
        room = _LAST_PART.search(value)
        end = label.start(1) + (room.end() if room else len(value))
        if end - label.start(1) >= 4:
            spans.append(Span("address", label.start(1), end))
    return spans


def _words(text: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, part of speech) of each word jieba cuts ``text`` into, ``text`` starting at ``offset``."""
    words = []
    for pair in jieba.posseg.cut(text):
        words.append((offset, offset + len(pair.word), pair.flag if pair.word not in _INTRODUCERS else "p"))
        offset += len(pair.word)
    return words


def _introduced(match: re.Match[str], words: list[tuple[int, int, str]]) -> bool:
    first_end = next(match.end(name) for name, _pattern in _PARTS if match.group(name))
    return any(flag in _FUNCTION_WORDS and start < first_end and end > match.start() for start, end, flag in words)


def _parts(match: re.Match[str]) -> int:
    return sum(1 for name, _pattern in _PARTS if match.group(name))


def _address_at(text: str, pos: int) -> re.Match[str] | None:
    """The address starting at ``pos``, if the parts found there reach from a place down to a dwelling."""
    match = _ADDRESS.match(text, pos)
    if match is None or match.end() == pos:
        return None
    found = [name for name, _pattern in _PARTS if match.group(name)]
    if not _PLACE.intersection(found) or not _DWELLING.intersection(found):
        return None
    return match
