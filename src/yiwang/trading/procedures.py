"""What each trading method requires of a project (docs/trading.md §4a): who may take part, how long the
suppliers have to respond, how early a clarification must come, how many responses an opening needs,
how large a panel evaluates, and whether the suppliers give a sealed final quote after negotiating.

Tenders follow 招标投标法 and 政府采购法 §34–§36. The non-tender methods of government procurement follow
政府采购法 §38–§40 and 政府采购法实施条例 §38, and, for the periods those texts leave open, the Ministry of
Finance's rules: 政府采购非招标采购方式管理办法 (财政部令第74号, 2013: 竞争性谈判, 询价, 单一来源) and
政府采购竞争性磋商采购方式管理暂行办法 (财库〔2014〕214号). The last two are not among the primary texts
kept with the product (``../shared/laws``); their articles are cited as published.
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.trading.choices import EvaluationMethod, ProjectKind, TradingMethod


@dataclass(frozen=True)
class Procedure:
    method: str
    # Invited suppliers: at least ``invited_min`` (0: anyone registered may respond), at most ``invited_max``.
    invited_min: int
    invited_max: int | None
    # From the day the documents are first issued to the deadline's day: ``response_days`` calendar days,
    # or working days where ``response_working``; 0 sets no minimum.
    response_days: int
    response_working: bool
    response_article: str
    # A clarification that may affect the responses comes this long before the deadline, else it moves.
    clarification_days: int
    clarification_working: bool
    # The documents are on issue at least this many working days (0: the tendering rule or none).
    sale_working_days: int
    min_responses: int  # fewer live responses at the closing: no opening (招标投标法 §28; 74号令 §27)
    panel_min: int  # the committee or panel: at least this many, an odd number, experts two thirds
    panel_article: str
    final_quote: bool  # the suppliers give a sealed final quote after negotiating (最后报价)
    evaluation_methods: tuple[str, ...]
    kinds: tuple[str, ...]  # the kinds of project that may use the method

    @property
    def tender(self) -> bool:
        return self.method in (TradingMethod.OPEN_TENDER, TradingMethod.INVITED_TENDER)


_ALL_KINDS = tuple(ProjectKind.values)
_PROCUREMENT = (ProjectKind.PROCUREMENT,)
_BOTH = (EvaluationMethod.SCORING, EvaluationMethod.LOWEST_PRICE)
_LOWEST = (EvaluationMethod.LOWEST_PRICE,)

PROCEDURES: dict[str, Procedure] = {
    TradingMethod.OPEN_TENDER: Procedure(
        method=TradingMethod.OPEN_TENDER,
        invited_min=0,
        invited_max=None,
        response_days=20,
        response_working=False,
        response_article="招标投标法 §24; 政府采购法 §35",
        clarification_days=15,
        clarification_working=False,
        sale_working_days=0,
        min_responses=3,
        panel_min=5,
        panel_article="招标投标法 §37",
        final_quote=False,
        evaluation_methods=_BOTH,
        kinds=_ALL_KINDS,
    ),
    TradingMethod.INVITED_TENDER: Procedure(
        method=TradingMethod.INVITED_TENDER,
        invited_min=3,
        invited_max=None,
        response_days=20,
        response_working=False,
        response_article="招标投标法 §24; 政府采购法 §35",
        clarification_days=15,
        clarification_working=False,
        sale_working_days=0,
        min_responses=3,
        panel_min=5,
        panel_article="招标投标法 §37",
        final_quote=False,
        evaluation_methods=_BOTH,
        kinds=_ALL_KINDS,
    ),
    # 竞争性谈判 (政府采购法 §38): a panel of three or more negotiates with each supplier apart, then asks
    # every one for a final quote; the lowest that meets the requirements wins.
    TradingMethod.COMPETITIVE_NEGOTIATION: Procedure(
        method=TradingMethod.COMPETITIVE_NEGOTIATION,
        invited_min=3,
        invited_max=None,
        response_days=3,
        response_working=True,
        response_article="财政部令第74号 §29",
        clarification_days=3,
        clarification_working=True,
        sale_working_days=0,
        min_responses=3,
        panel_min=3,
        panel_article="政府采购法 §38",
        final_quote=True,
        evaluation_methods=_LOWEST,
        kinds=_PROCUREMENT,
    ),
    # 竞争性磋商 (财库〔2014〕214号): like negotiation, but the final quotes are scored with the rest.
    TradingMethod.COMPETITIVE_CONSULTATION: Procedure(
        method=TradingMethod.COMPETITIVE_CONSULTATION,
        invited_min=3,
        invited_max=None,
        response_days=10,
        response_working=False,
        response_article="财库〔2014〕214号 §10",
        clarification_days=5,
        clarification_working=False,
        sale_working_days=5,
        min_responses=3,
        panel_min=3,
        panel_article="财库〔2014〕214号 §14",
        final_quote=True,
        evaluation_methods=(EvaluationMethod.SCORING,),
        kinds=_PROCUREMENT,
    ),
    # 单一来源 (政府采购法 §39; 政府采购法实施条例 §38): published for five working days with the supplier's
    # name, then the price agreed with that one supplier, sealed like any final quote.
    TradingMethod.SINGLE_SOURCE: Procedure(
        method=TradingMethod.SINGLE_SOURCE,
        invited_min=1,
        invited_max=1,
        response_days=0,
        response_working=True,
        response_article="财政部令第74号 §41",
        clarification_days=0,
        clarification_working=True,
        sale_working_days=0,
        min_responses=1,
        panel_min=3,
        panel_article="财政部令第74号 §41",
        final_quote=True,
        evaluation_methods=_LOWEST,
        kinds=_PROCUREMENT,
    ),
    # 询价 (政府采购法 §40): each supplier quotes once a price it may not change; the lowest that meets the
    # requirements wins.
    TradingMethod.REQUEST_FOR_QUOTATION: Procedure(
        method=TradingMethod.REQUEST_FOR_QUOTATION,
        invited_min=3,
        invited_max=None,
        response_days=3,
        response_working=True,
        response_article="财政部令第74号 §45",
        clarification_days=3,
        clarification_working=True,
        sale_working_days=0,
        min_responses=3,
        panel_min=3,
        panel_article="政府采购法 §40",
        final_quote=False,
        evaluation_methods=_LOWEST,
        kinds=_PROCUREMENT,
    ),
}


def procedure_of(method: str) -> Procedure:
    return PROCEDURES[method]
