"""Headless Chromium (Debian's package) driven by Playwright against the live test server.

Every page is watched for console errors and failed requests, so a Content-Security-Policy
violation, a missing static file or a script error fails the test that caused it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

CHROMIUM = Path(os.environ.get("YIWANG_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium (make test does).")
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
    return page, problems


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


def htmx_ready(page: Page) -> None:
    """Waits until htmx (a deferred script) has bound the page: an element can be visible, and a test
    act on it, before that — and an upload or a keystroke made then is not sent. Call it after a
    navigation and before the first act that htmx carries."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => typeof window.htmx === 'object'")
