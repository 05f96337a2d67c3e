"""长辈模式 (elder mode; 适老化: GB/T 37668-2019 and the MIIT's rules for ageing-friendly websites, 2020):
larger text, stronger contrast, bigger targets and fewer things on a page, chosen with one button in the
portal's header. The choice is kept in the browser, in a cookie — no account needed — and every page is
rendered with it on the server (a class on <html>), so a page never flashes in the small size first."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ELDER_COOKIE = "yiwang_elder"
ELDER_COOKIE_DAYS = 365


def elder_mode(request: HttpRequest) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def elder_mode_set(response: HttpResponse, on: bool) -> HttpResponse:
    if on:
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=ELDER_COOKIE_DAYS * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response
