"""The security administrator's role management (三员分立: only this role grants and revokes)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.accounts.models import AccountKind, RoleAssignment, User
from yiwang.accounts.roles import STAFF_ROLES, Role
from yiwang.accounts.selectors import user_has_role
from yiwang.accounts.services import may_manage_roles, role_grant, role_revoke
from yiwang.core.errors import DomainError, PermissionDenied
from yiwang.core.shell import acting_user, staff_required
from yiwang.organisation.selectors import department_all, region_list


class GrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Account (username)"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES])
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=department_all(active_only=True), required=False
    )
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=region_list(), required=False)


def _require_secadmin(request: HttpRequest) -> User:
    user = acting_user(request)
    if not user_has_role(user=user, roles={Role.SECADMIN}):
        raise PermissionDenied()
    return user


@require_http_methods(["GET", "POST"])
@staff_required
def role_management(request: HttpRequest) -> HttpResponse:
    actor = _require_secadmin(request)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = User.objects.filter(username=form.cleaned_data["username"]).first()
        if target is None:
            form.add_error("username", _("No account has this username."))
        else:
            try:
                role_grant(
                    actor=actor,
                    user=target,
                    role=Role(form.cleaned_data["role"]),
                    department=form.cleaned_data["department"],
                    region=form.cleaned_data["region"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Role granted."))
                return redirect("accounts:roles")
    staff = (
        User.objects.filter(kind=AccountKind.STAFF)
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("department", "region"))
        )
        .order_by("username")
    )
    rows = [
        (
            person,
            [
                (a, may_manage_roles(actor=actor, user=person, department=a.department, region=a.region))
                for a in person.role_assignments.all()
            ],
        )
        for person in staff
    ]
    return render(request, "accounts/roles.html", {"form": form, "rows": rows}, status=422 if form.errors else 200)


@require_POST
@staff_required
def role_revoke_view(request: HttpRequest, assignment_id: int) -> HttpResponse:
    actor = _require_secadmin(request)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "department", "region"), pk=assignment_id
    )
    try:
        role_revoke(actor=actor, assignment=assignment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:roles")
