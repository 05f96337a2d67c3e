"""Headless Chromium (Debian's package) driven by Playwright against the live test server.

Every page is watched for console errors and failed requests, so a Content-Security-Policy
violation, a missing static file or a script error fails the test that caused it.

Every page a test opens is checked with axe-core (GB/T 37668, WCAG 2.1 AA) before the browser leaves
it — when a link, a form or ``goto`` asks for the next document, and when the tab closes — so a page
that a keyboard, a screen reader or a person with poor sight cannot use fails the test that opened it.
axe-core comes from the npm registry into var/node/ (scripts/ensure-chromium), never into the repository.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Error, Page, Request, sync_playwright

CHROMIUM = Path(os.environ.get("YIWANG_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 375, "height": 740}
AXE = Path(__file__).resolve().parents[2] / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# What the checks cost, said at the end of the run (conftest.py's terminal summary).
AXE_SPENT = {"pages": 0, "seconds": 0.0}
AXE_SEEN: set[tuple[int, str]] = set()  # (viewport width, kind of page) checked in this run
# Pages drawn by others' code, not ours to fix: Django's admin and the API's Swagger UI.
NOT_OURS = ("/admin/", "/api/")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium (make test does).")
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run scripts/ensure-chromium (make test does).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems(list[str]):
    pass


def _open_page(browser: Browser, viewport: dict[str, int]) -> tuple[Page, PageProblems]:
    context = browser.new_context(viewport=viewport, locale="en-US")  # Chinese must win anyway
    page = context.new_page()
    problems = PageProblems()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    # A request the browser itself cancelled (the page moved on while the favicon was loading) is
    # no failure of ours; a missing file still shows up as a console error for its 404.
    def request_failed(request: Request) -> None:
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", request_failed)
    page.set_default_timeout(15_000)
    _check_every_page(page, problems, viewport)
    return page, problems


# axe-core's rules of WCAG 2.0/2.1/2.2 A and AA, which GB/T 37668-2019 and the MIIT's rules for
# ageing-friendly websites (2020) follow, and its best practices; passes and inapplicable rules are not
# collected (they cost time and say nothing).
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
    "iframes": False,
}
# Runs in every document before the page's own scripts (DevTools injects it: the page's CSP does not
# apply). Once the document has loaded, it asks the test (a binding) whether this kind of page is still
# to be checked, runs axe-core and hands the violations back. window.__yiwangAxe is the check's promise.
_AXE_PAGE = """
(() => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  const options = %(options)s;
  const check = async () => {
    if (document.contentType !== 'text/html' || !document.body) return [];
    if (!(await window.__yiwangAxeWanted(location.pathname))) return null;
    const started = performance.now();
    const results = await window.axe.run(document, options);
    const found = results.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 4)
      .map(n => `${n.target.join(' ')} ${(n.failureSummary || '').split('\\n').slice(1, 2).join('').trim()}`)
      .join(' | '));
    await window.__yiwangAxeReport(location.href, found, performance.now() - started);
    return found;
  };
  addEventListener('load', () => {
    // A check cut short by the page changing under it (the test moved on) is no finding.
    window.__yiwangAxe = check().catch(error => null);
  }, { once: true });
})();
"""


def _path_kind(path: str) -> str:
    """/items/990100-0012/ and /items/990100-0013/ are one kind of page: segments with digits are ids."""
    return re.sub(r"[^/]*[0-9][^/]*", "*", path)


def _check_every_page(page: Page, problems: PageProblems, viewport: dict[str, int]) -> None:
    """Every document that loads is checked by axe-core in the page, while the test goes on; each kind of
    page (its path with ids left out) once per viewport and run, to keep the suite's time. The last
    document is waited for when the tab's context closes, so a test's final page is never skipped."""
    width = viewport["width"]

    def wanted(_source: Any, path: str) -> bool:
        key = (width, _path_kind(path))
        if path.startswith(NOT_OURS) or key in AXE_SEEN:
            return False
        AXE_SEEN.add(key)
        return True

    def report(_source: Any, url: str, found: list[str], milliseconds: float) -> None:
        AXE_SPENT["pages"] += 1
        AXE_SPENT["seconds"] += milliseconds / 1000
        problems.extend(f"accessibility ({url}): {line}" for line in found)

    context = page.context
    context.expose_binding("__yiwangAxeWanted", wanted)
    context.expose_binding("__yiwangAxeReport", report)
    context.add_init_script(AXE.read_text(encoding="utf-8") + _AXE_PAGE % {"options": json.dumps(AXE_OPTIONS)})
    close = context.close

    def settle_then_close(**kwargs: Any) -> None:
        if not page.is_closed():
            _settle(page)
        close(**kwargs)

    context.close = settle_then_close  # type: ignore[method-assign]


def _settle(page: Page) -> Any:
    """Waits for the current document's check begun at its load, if one runs, and gives its result once
    (``None``: none ran, or it was given already)."""
    try:
        return page.evaluate(
            "async () => { const c = window.__yiwangAxe; window.__yiwangAxe = null; return c && await c; }"
        )
    except Error as error:  # the page went away meanwhile: its check was cut short
        if "context was destroyed" in str(error) or "closed" in str(error):
            return None
        raise


def assert_accessible(page: Page) -> None:
    """No axe-core violation on the page as it is now, whether or not this kind of page was checked
    before (an htmx swap or an opened dialog shows what the load did not)."""
    page.wait_for_load_state("load")
    found = _settle(page)  # checked as it loaded: that is the page as it is
    if found is not None:
        assert not found, f"accessibility violations (axe-core) on {page.url}:\n" + "\n".join(found)
        return
    started = time.perf_counter()
    found = page.evaluate(
        """async (options) => (await window.axe.run(document, options)).violations.map(v =>
             `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))""",
        AXE_OPTIONS,
    )
    AXE_SPENT["pages"] += 1
    AXE_SPENT["seconds"] += time.perf_counter() - started
    assert not found, f"accessibility violations (axe-core) on {page.url}:\n" + "\n".join(found)


@pytest.fixture(params=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    viewport = PHONE if request.param == "phone" else {"width": 1280, "height": 900}
    page, problems = _open_page(browser, viewport)
    page.viewport_name = request.param  # type: ignore[attr-defined]
    page.problems = problems  # type: ignore[attr-defined]  (a test may forgive one it expects)
    yield page
    page.context.close()
    assert not problems, "\n".join(problems)


def assert_fits_the_screen(page: Page) -> None:
    """Nothing wider than the viewport: no sideways scrolling on a phone (measured once the stylesheet
    has loaded: before it, a long line is as wide as it is)."""
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        # Name the widest offenders: the innermost elements that reach past the viewport's right edge.
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || '').trim().slice(0, 40)}"`)"""
        )
        raise AssertionError(f"page is {overflow}px wider than the viewport: {culprits}")
    _settle(page)  # the page's accessibility check, begun when it loaded, finishes before the test moves on


def htmx_ready(page: Page) -> None:
    """Waits until htmx (a deferred script) has bound the page: an element can be visible, and a test
    act on it, before that — and an upload or a keystroke made then is not sent. Call it after a
    navigation and before the first act that htmx carries."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => typeof window.htmx === 'object'")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if AXE_SPENT["pages"]:
        terminalreporter.write_line(
            f"axe-core checked {AXE_SPENT['pages']} pages in {AXE_SPENT['seconds']:.1f} s "
            f"({AXE_SPENT['seconds'] / AXE_SPENT['pages'] * 1000:.0f} ms a page)"
        )
