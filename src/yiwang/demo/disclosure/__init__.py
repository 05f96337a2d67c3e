"""The demo city's disclosure year (docs/disclosure.md; issue 20): 政数局 and 市场监管局 with their catalogues,
guides and a year and more of proactive items, requests of every kind and outcome with their appeals, and
the activity records, all made through the disclosure services on the days they happened, so that both
annual report formats show real tables at once (``timeline``: how the past is replayed; ``content``: what
is published and asked; ``items``, ``requests``: the stories; ``load``: the whole)."""

from yiwang.demo.disclosure.load import DisclosureSummary, demo_disclosure_load

__all__ = ["DisclosureSummary", "demo_disclosure_load"]
