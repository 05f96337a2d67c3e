"""适老化 and accessibility on the server's side: 长辈模式 kept in a cookie and rendered on <html> (the MIIT's
rules for ageing-friendly websites, 2020: a mode with larger text that needs no account), and every chart
with its figures as a table (GB/T 37668-2019 §5.1.1 / WCAG 1.1.1: text alternatives for non-text content)."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.core.charts import bar_chart, line_chart
from yiwang.core.elder import ELDER_COOKIE

pytestmark = pytest.mark.django_db


def test_elder_mode_is_chosen_once_and_every_page_is_rendered_with_it() -> None:
    browser = Client()
    assert 'class="elder"' not in browser.get("/personal/").content.decode()
    assert browser.get("/elder-mode/").status_code == 405  # a change of state: a form's POST only

    on = browser.post("/elder-mode/", {"on": "1", "next": "/personal/?page=2"})
    assert (on.status_code, on["Location"]) == (302, "/personal/?page=2")
    cookie = on.cookies[ELDER_COOKIE]
    assert cookie.value == "1" and cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"]
    page = browser.get("/personal/").content.decode()
    assert '<html lang="zh-CN" class="elder">' in page  # no flash of the small page: the server says so
    assert 'aria-pressed="true" data-elder-mode' in page
    assert "/static/yiwang/access.js" in page  # 朗读, where the browser can speak

    off = browser.post("/elder-mode/", {"on": "0", "next": "/"})
    assert off.status_code == 302 and off.cookies[ELDER_COOKIE].value == ""
    assert 'class="elder"' not in browser.get("/personal/").content.decode()


def test_elder_mode_goes_back_only_to_this_site() -> None:
    for elsewhere in ("https://example.com/", "//example.com/x", ""):
        response = Client().post("/elder-mode/", {"on": "1", "next": elsewhere})
        assert response["Location"] == "/"


def test_every_chart_has_its_figures_as_a_table() -> None:
    bars = str(bar_chart("按时办结率", [("示范市公安局", 98.5), ("示范市民政局", None)], unit="%"))
    assert 'role="img"' in bars and "<title>按时办结率</title>" in bars
    assert '<th scope="row">示范市公安局</th><td>98.5%</td>' in bars
    assert '<th scope="row">示范市民政局</th><td>—</td>' in bars
    assert 'tabindex="0" role="group" aria-label="按时办结率"' in bars  # a wide table scrolls by keyboard

    lines = str(line_chart("每月办件量", ["1月", "2月"], [("受理", [10, 12]), ("办结", [8, None])]))
    assert '<th scope="col">受理</th><th scope="col">办结</th>' in lines
    assert '<th scope="row">2月</th><td>12</td><td>—</td>' in lines
