"""Chinese search over the published catalogue: jieba words, pinyin initials, ranked in the database.

A query is cut into words (jieba's precise mode); words that say nothing about the item (如何, 办理,
申请…) are dropped. A word matches an item when it, or one of its shorter parts (jieba's search mode:
居民身份证 → 居民, 身份证), occurs in the item's name, aliases or keywords. Items that match every word come
first; when none does, items matching any word are shown, so a clumsy question still finds something.
A query of Latin letters is read as pinyin: full syllables or initials (sfz → 身份证).

Ranking is one SQL expression, the same on SQLite and PostgreSQL, so only the page shown is read:
an exact name beats a name that starts with the query, which beats a name containing a word, which
beats a match in aliases or keywords only; shorter names first among equals (they are more specific).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, reduce
from operator import or_
from typing import TYPE_CHECKING, Any

import jieba
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from pypinyin import Style, lazy_pinyin

if TYPE_CHECKING:
    from yiwang.catalogue.models import ItemImplementation

MAX_QUERY_LENGTH = 50
MAX_WORDS = 6
PINYIN_QUERY = re.compile(r"^[a-z]{2,30}$")
# Words of a question that do not tell items apart.
NOISE_WORDS = frozenset(
    [
        "如何",
        "怎么",
        "怎样",
        "怎么样",
        "哪里",
        "哪儿",
        "在哪",
        "什么",
        "需要",
        "要",
        "想",
        "我",
        "我要",
        "我想",
        "请问",
        "可以",
        "能否",
        "能",
        "吗",
        "呢",
        "吧",
        "的",
        "了",
        "和",
        "与",
        "及",
        "在",
        "去",
        "到",
        "办",
        "办理",
        "申请",
        "申办",
        "手续",
        "流程",
        "材料",
        "需要",
        "一下",
        "网上",
        "业务",
    ]
)
# Terms of government services that jieba's general dictionary splits; kept whole.
SERVICE_WORDS = (
    "个体工商户",
    "公租房",
    "不动产登记",
    "失业保险金",
    "就业创业证",
    "残疾人证",
    "老年人优待证",
    "驾驶证",
    "行驶证",
    "营业执照",
    "食品经营许可",
    "施工许可",
    "户口迁入",
    "换领",
    "补领",
    "参保证明",
    "容缺",
)


@cache
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in SERVICE_WORDS:
        tokenizer.add_word(word, freq=50_000)
    return tokenizer


def _pinyin(text: str) -> tuple[str, str]:
    """(initials, full syllables) of the Chinese in ``text``; other characters kept as they are."""
    syllables = [s.lower() for s in lazy_pinyin(text, errors="default") if s.strip()]
    initials = [s.lower() for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if s.strip()]
    return "".join(initials), "".join(syllables)


def pinyin_text(names: list[str]) -> str:
    """What a pinyin query is matched against: initials and syllables of each name or alias."""
    parts: list[str] = []
    for name in names:
        initials, syllables = _pinyin(name)
        parts += [initials, syllables]
    return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Word:
    """A word of the query and the shorter parts that may stand for it."""

    text: str
    parts: tuple[str, ...]

    def q(self, field: str) -> Q:
        return reduce(or_, (Q(**{f"{field}__icontains": part}) for part in (self.text, *self.parts)))


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    words: tuple[Word, ...] = ()
    pinyin: str = ""

    @property
    def empty(self) -> bool:
        return not self.words and not self.pinyin


def parse(query: str) -> ParsedQuery:
    text = " ".join(query.split())[:MAX_QUERY_LENGTH]
    compact = text.replace(" ", "").lower()
    if PINYIN_QUERY.match(compact):
        return ParsedQuery(text=text, pinyin=compact)
    tokenizer = _tokenizer()
    words: list[Word] = []
    for token in tokenizer.lcut(text):
        token = token.strip()
        if not token or token in NOISE_WORDS or not any(ch.isalnum() for ch in token):
            continue
        if len(token) == 1 and len(text) > 1:
            continue  # a lone character matches half the catalogue
        parts = tuple(
            p
            for p in dict.fromkeys(tokenizer.lcut_for_search(token))
            if p != token and len(p) >= 2 and p not in NOISE_WORDS
        )
        if token not in {w.text for w in words}:
            words.append(Word(token, parts))
    if not words and text.strip():
        # Only noise or single characters: search for the text as it was typed.
        words = [Word(compact, ())]
    return ParsedQuery(text=text, words=tuple(words[:MAX_WORDS]))


def ranked(
    items: QuerySet[ItemImplementation], query: str, *, prefix: str = "current__"
) -> QuerySet[ItemImplementation]:
    """``items`` that match ``query``, best first. ``prefix`` leads from the rows to their version."""
    parsed = parse(query)
    if parsed.empty:
        return items
    name, text, pinyin = f"{prefix}name", f"{prefix}search_text", f"{prefix}pinyin_text"
    if parsed.pinyin:
        p = parsed.pinyin
        return (
            items.filter(**{f"{pinyin}__contains": p})
            .annotate(
                rank=Case(
                    When(**{f"{pinyin}__startswith": p + " "}, then=Value(100)),
                    When(**{f"{pinyin}__startswith": p}, then=Value(60)),
                    When(Q(**{f"{pinyin}__contains": " " + p}), then=Value(30)),
                    default=Value(10),
                    output_field=IntegerField(),
                ),
                name_length=Length(name),
            )
            .order_by("-rank", "name_length", "code")
        )
    every = reduce(lambda a, b: a & b, (w.q(text) for w in parsed.words))
    matching = items.filter(every)
    if len(parsed.words) > 1 and not matching.exists():
        matching = items.filter(reduce(or_, (w.q(text) for w in parsed.words)))
    whole = parsed.text.replace(" ", "")
    score: Any = Value(0, output_field=IntegerField())
    for word in parsed.words:
        score = score + Case(
            When(**{f"{name}__icontains": word.text}, then=Value(20)),
            When(word.q(name), then=Value(12)),
            When(**{f"{text}__icontains": word.text}, then=Value(8)),
            When(word.q(text), then=Value(4)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return matching.annotate(
        rank=score
        + Case(
            When(**{f"{name}": whole}, then=Value(200)),
            When(**{f"{name}__startswith": whole}, then=Value(60)),
            When(**{f"{name}__contains": whole}, then=Value(30)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        name_length=Length(name),
    ).order_by("-rank", "name_length", "code")
