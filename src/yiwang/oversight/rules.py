"""The default rules of 电子监察 (hall.md: yellow near the deadline or when a step overran; red when
overdue or when a valid application was refused without reason). The centre overrides them with
``CardRule`` rows (admin)."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.oversight.models import CardColour, CardRule, CardRuleCode


@dataclass(frozen=True)
class Rule:
    code: str
    active: bool
    colour: str
    threshold: int


DEFAULTS: dict[str, Rule] = {
    # Yellow when the due date is this many working days away or nearer (a day's warning, as 济南 §28
    # gives the hotline's units).
    CardRuleCode.NEAR_DEADLINE: Rule(CardRuleCode.NEAR_DEADLINE, True, CardColour.YELLOW, 1),
    # Yellow when a review step has been open more than this many working days.
    CardRuleCode.STEP_OVERRUN: Rule(CardRuleCode.STEP_OVERRUN, True, CardColour.YELLOW, 5),
    # Red the day after the due date (行政许可法 §42: the time limit is the law's).
    CardRuleCode.OVERDUE: Rule(CardRuleCode.OVERDUE, True, CardColour.RED, 0),
    # Red when a refusal states fewer than this many characters of reason (行政许可法 §38: a refusal
    # gives its reasons in writing).
    CardRuleCode.REFUSAL_WITHOUT_REASON: Rule(CardRuleCode.REFUSAL_WITHOUT_REASON, True, CardColour.RED, 10),
}


def effective_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = dict(DEFAULTS)
    for row in CardRule.objects.all():
        rules[row.code] = Rule(row.code, row.active, row.colour, row.threshold)
    return rules


# The exceptions list (hall.md): what makes a department's or a case's figures unusual.
REPEATED_CORRECTIONS = 2  # a case asked for 补正 this many times or more
MANY_REFUSALS_COUNT = 5  # an item refused this many times in the period …
MANY_REFUSALS_SHARE = 20  # … and in at least this share (%) of its cases
EARLY_MIN_LIMIT_DAYS = 5  # concluded on the day of acceptance although it had this many working days or more
