"""Chinese search over the published catalogue: jieba words, pinyin initials, ranked in the database.

A query is cut into words (jieba's precise mode); words that say nothing about the item (如何, 办理,
申请…) are dropped. A word matches an item when it, or one of its shorter parts (jieba's search mode:
居民身份证 → 居民, 身份证), occurs in the item's name, aliases or keywords. Items that match every word come
first; when none does, items matching any word are shown, so a clumsy question still finds something.
A query of Latin letters is read as pinyin: full syllables or initials (sfz → 身份证).

Ranking: an exact name beats a name that starts with the query, which beats a name containing a word,
which beats a match in aliases or keywords only; shorter names first among equals (more specific).

The published catalogue is searched in memory: each process keeps a small index (code, names,
pinyin, themes, department, level — a few megabytes for 100,000 items) and rebuilds it when the
catalogue's revision number, bumped by every publication, suspension and cancellation, has moved.
A search then costs one tiny query for the revision and one for the page of rows shown, where a
LIKE scan of every version took tens of milliseconds at 20,000 items (bench/catalogue.py).
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, overload

import jieba
from django.db.models import QuerySet
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
        # Shorter parts stand for the word only when they keep most of it (居民身份证 → 身份证), not
        # when they are generic pieces of it (食品经营许可 ↛ 许可, which would match a third of the catalogue).
        parts = tuple(
            p
            for p in dict.fromkeys(tokenizer.lcut_for_search(token))
            if p != token and len(p) >= max(2, len(token) - 2) and p not in NOISE_WORDS
        )
        if token not in {w.text for w in words}:
            words.append(Word(token, parts))
    if not words and text.strip():
        # Only noise or single characters: search for the text as it was typed.
        words = [Word(compact, ())]
    return ParsedQuery(text=text, words=tuple(words[:MAX_WORDS]))


@dataclass(frozen=True)
class _Entry:
    pk: int
    code: str
    name: str  # lower case
    text: str  # name, aliases and keywords, lower case
    pinyin: str
    themes: str
    department_id: int
    level: str


@dataclass(frozen=True)
class _Index:
    revision: int
    entries: tuple[_Entry, ...]
    # Every entry's text (and pinyin), one per line, and where each line starts: a word is looked for
    # in one pass of the regular-expression engine over the whole catalogue, not entry by entry.
    text_blob: str = ""
    pinyin_blob: str = ""
    starts: tuple[int, ...] = ()
    pinyin_starts: tuple[int, ...] = ()
    themes_blob: str = ""  # every entry's |theme| markers, for counting entries per theme

    @classmethod
    def build(cls, revision: int, entries: tuple[_Entry, ...]) -> _Index:
        def blob(lines: list[str]) -> tuple[str, tuple[int, ...]]:
            starts, offset = [], 0
            for line in lines:
                starts.append(offset)
                offset += len(line) + 1
            return "\n".join(lines), tuple(starts)

        text_blob, starts = blob([e.text.replace("\n", " ") for e in entries])
        pinyin_blob, pinyin_starts = blob([e.pinyin for e in entries])
        themes_blob = "".join(e.themes for e in entries)
        return cls(revision, entries, text_blob, pinyin_blob, starts, pinyin_starts, themes_blob)

    def matching(self, alternatives: tuple[str, ...], *, pinyin: bool = False) -> set[int]:
        """Positions of the entries whose text (or pinyin) contains any of ``alternatives``."""
        blob, starts = (self.pinyin_blob, self.pinyin_starts) if pinyin else (self.text_blob, self.starts)
        pattern = re.compile("|".join(re.escape(a) for a in sorted(alternatives, key=len, reverse=True)))
        return {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(blob)}


_index: _Index | None = None
_index_lock = threading.Lock()


def _current_index() -> _Index:
    """This process's index of the published catalogue, rebuilt when the catalogue's revision moved."""
    from yiwang.catalogue.models import CatalogueRevision, ItemImplementation, VersionStatus

    global _index
    revision = CatalogueRevision.current()
    index = _index
    if index is not None and index.revision == revision:
        return index
    with _index_lock:
        if _index is not None and _index.revision == revision:
            return _index
        rows = ItemImplementation.objects.filter(current__status=VersionStatus.PUBLISHED).values_list(
            "pk",
            "code",
            "current__name",
            "current__search_text",
            "current__pinyin_text",
            "current__theme_text",
            "department_id",
            "level",
        )
        entries = tuple(
            _Entry(pk, code, name.lower(), text.lower(), pinyin, themes, department, level)
            for pk, code, name, text, pinyin, themes, department, level in rows.iterator(chunk_size=5000)
        )
        _index = _Index.build(revision, entries)
        return _index


def search_warm_up() -> int:
    """The search's own word list (jieba's dictionary again, with the service words: a second or more)
    and this process's index of the published catalogue, before the first search; returns its size."""
    parse("居民身份证换领")
    _pinyin("预热")
    return len(_current_index().entries)


def theme_counts(themes: tuple[str, ...]) -> dict[str, int]:
    """Published implementations per theme, from this process's index (a theme is marked once per item)."""
    blob = _current_index().themes_blob
    return {theme: blob.count(f"|{theme}|") for theme in themes}


def find(query: str, *, department: int | None = None, theme: str = "", level: str | None = None) -> list[int]:
    """Ids of the published implementations matching ``query`` (and the filters), best first."""
    parsed = parse(query)
    if parsed.empty:
        return []
    index = _current_index()

    def allowed(e: _Entry) -> bool:
        return (
            (department is None or e.department_id == department)
            and (not level or e.level == level)
            and (not theme or f"|{theme}|" in e.themes)
        )

    scored: list[tuple[int, int, str, int]] = []
    if parsed.pinyin:
        p = parsed.pinyin
        for e in (index.entries[i] for i in index.matching((p,), pinyin=True)):
            if not allowed(e):
                continue
            if e.pinyin.startswith(p + " "):
                rank = 100  # the initials of the whole name
            elif e.pinyin.startswith(p):
                rank = 60
            else:
                rank = 30 if " " + p in e.pinyin else 10
            scored.append((-rank, len(e.name), e.code, e.pk))
    else:
        words = [(w.text.lower(), tuple(part.lower() for part in w.parts)) for w in parsed.words]
        hits = [index.matching((text, *parts)) for text, parts in words]
        positions = set.intersection(*hits)
        if not positions and len(words) > 1:
            positions = set.union(*hits)
        whole = parsed.text.replace(" ", "").lower()
        for e in (index.entries[i] for i in positions):
            if not allowed(e):
                continue
            rank = 200 if e.name == whole else 60 if e.name.startswith(whole) else 30 if whole in e.name else 0
            for text, parts in words:
                if text in e.name:
                    rank += 20
                elif any(part in e.name for part in parts):
                    rank += 12
                elif text in e.text:
                    rank += 8
                elif any(part in e.text for part in parts):
                    rank += 4
            scored.append((-rank, len(e.name), e.code, e.pk))
    scored.sort()
    return [pk for *_rest, pk in scored]


class RankedResults(Sequence[Any]):
    """Search results for a paginator: the ranked ids are known, rows are read one page at a time."""

    def __init__(self, ids: list[int], rows: QuerySet[ItemImplementation]) -> None:
        self.ids = ids
        self.rows = rows

    def count(self, value: Any = None) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, key: int) -> ItemImplementation: ...
    @overload
    def __getitem__(self, key: slice) -> list[ItemImplementation]: ...
    def __getitem__(self, key: int | slice) -> ItemImplementation | list[ItemImplementation]:
        if isinstance(key, int):
            return self[key : key + 1][0]
        page = self.ids[key]
        found = self.rows.in_bulk(page)
        return [found[pk] for pk in page if pk in found]
