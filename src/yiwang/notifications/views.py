"""The inbox (portal and workbench alike) and the choice of channels."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core.shell import acting_user, user_is_staff_member
from yiwang.notifications.selectors import inbox
from yiwang.notifications.services import channels_of, channels_set, notifications_mark_read


class ChannelForm(forms.Form):
    sms = forms.BooleanField(label=gettext_lazy("Also by SMS"), required=False)
    email = forms.BooleanField(label=gettext_lazy("Also by e-mail"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def inbox_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    preference = channels_of(user)
    form = ChannelForm(request.POST or None, initial={"sms": preference.sms, "email": preference.email})
    if request.method == "POST" and form.is_valid():
        channels_set(user=user, sms=form.cleaned_data["sms"], email=form.cleaned_data["email"])
        messages.success(request, _("Your choice of channels is saved."))
        return redirect("notifications:inbox")
    page = Paginator(inbox(user=user), 20).get_page(request.GET.get("page"))
    base = "workbench/base_workbench.html" if user_is_staff_member(user=user) else "portal/base_portal.html"
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "form": form, "base": base, "has_email": bool(user.email), "has_phone": bool(user.phone)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=acting_user(request))
    return redirect("notifications:inbox")
