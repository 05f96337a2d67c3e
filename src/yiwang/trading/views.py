"""Pages of public resource trading for the public and the parties: 交易信息 (published projects, their
documents and, once closed, receipts and the live opening), the parties' keys, the bidder's page (upload a
sealed bid, receipts, withdraw, decrypt at the opening) and the custodian's share. Thin: every write is a
service call, every refusal its Chinese message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yiwang.accounts.choices import AccountKind
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.shell import acting_user
from yiwang.trading import award_notice, selectors, services
from yiwang.trading.models import KeyPurpose, ProjectKind, ProjectStatus, TradingProject
from yiwang.trading.negotiation_pages import negotiation_context


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _errors(failed: ValidationFailed) -> dict[str, str]:
    return {e["field"]: str(e["message"]) for e in (failed.details or {}).get("errors", [])}


def _act(request: HttpRequest, act: Callable[[Any], object], done: str, to: str, code: str) -> HttpResponse:
    """One service call from a form as the signed-in account: its success or its refusal as a message,
    then back to the page ``to`` of the project ``code``."""
    try:
        act(acting_user(request))
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect(to, code=code)


def _refused(request: HttpRequest, error: DomainError) -> int:
    """Shows the refusal and gives the page's status (422 for bad input, the error's own otherwise)."""
    messages.error(request, str(error.message))
    return 422 if error.status == 400 else error.status


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """交易信息: published projects, searchable, by kind and status."""
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "")[:100]
    projects = selectors.projects_published(
        kind=kind if kind in ProjectKind.values else "",
        status=status if status in ProjectStatus.values else "",
        query=query,
    )
    page = Paginator(projects, 20).get_page(_int(request.GET.get("page"), 1))
    context = {
        "page": page,
        "kinds": ProjectKind.choices,
        "statuses": [(v, label) for v, label in ProjectStatus.choices if v not in selectors.UNPUBLISHED],
        "kind": kind,
        "status": status,
        "q": query,
    }
    return render(request, "trading/list.html", context)


def _project_context(project: TradingProject) -> dict[str, Any]:
    return {
        "project": project,
        "lots": list(project.lots.all()),
        "documents": list(selectors.documents_of(project)),
        "closed": selectors.bids_closed(project),
        "closing": getattr(project, "closing", None),
        "opening": getattr(project, "opening", None),
        "bids": selectors.bids_public(project),
        "events": list(selectors.events_of(project)),
        "receipts": list(selectors.receipts_public(project)),
    }


@require_GET
def project_page(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_published(code)
    context = _project_context(project)
    user = request.user if isinstance(request.user, get_user_model()) else None
    context["custodian"] = user is not None and selectors.is_custodian(user, project)
    context["tenderer"] = user is not None and selectors.is_tenderer(user, project)
    context.update(negotiation_context(user, project))
    open_now = (
        context["single_source_running"]
        or selectors.result_challengeable(project)
        or project.status
        in (
            ProjectStatus.BIDDING,
            ProjectStatus.PAUSED,
            ProjectStatus.OPENING,
            ProjectStatus.PUBLICITY,
        )
    )
    context["challenging_result"] = selectors.result_challengeable(project)
    context["may_object"] = user is not None and user.kind != AccountKind.STAFF and open_now
    context["may_complain"] = user is not None and user.kind != AccountKind.STAFF
    context["objections"] = list(selectors.objections_of(project))
    context["candidates"] = list(selectors.candidates_for(user, project))
    context["dissents"] = selectors.dissents_of(project) if context["candidates"] else []
    context["award_notice"] = user is not None and selectors.may_see_award_notice(
        user, project, selectors.award_winners(project)
    )
    # The tenderer itself (not its agency) awards once the publicity is over — a purchaser once it has the
    # report (政府采购法实施条例 §43) — then records the contract.
    deciding = project.status in (ProjectStatus.PUBLICITY, ProjectStatus.DELIVERED, ProjectStatus.AWARDED)
    principal = user is not None and deciding and selectors.is_tenderer(user, project, principal=True)
    over = project.publicity_until is not None and timezone.now() >= project.publicity_until
    context["may_award"] = principal and (
        (project.status == ProjectStatus.PUBLICITY and over) or project.status == ProjectStatus.DELIVERED
    )
    context["awarded_lots"] = {c.lot_id for c in context["candidates"] if c.awarded}
    context["may_contract"] = principal and project.status == ProjectStatus.AWARDED
    context["contracts"] = list(selectors.contracts_of(project))
    contracted = {c.lot_id for c in context["contracts"]}
    context["contract_lots"] = [c for c in context["candidates"] if c.awarded and c.lot_id not in contracted]
    return render(request, "trading/project.html", context)


@require_POST
@login_required
def objection_raise(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_published(code)
    try:
        subjects = {
            ProjectStatus.PUBLICITY: "candidates",
            ProjectStatus.OPENING: "opening",
            ProjectStatus.DRAFT: "single_source",
            ProjectStatus.AWARDED: "candidates",  # a procurement's result (政府采购法 §52)
            ProjectStatus.CONTRACTED: "candidates",
        }
        subject = subjects.get(ProjectStatus(project.status), "documents")
        text = request.POST.get("text", "")[:6000]
        services.objection_raise(actor=acting_user(request), project=project, text=text, subject=subject)
    except DomainError as error:
        _refused(request, error)
    else:
        if subject == "candidates" and project.status != ProjectStatus.PUBLICITY:  # 政府采购法 §52, §53
            messages.success(request, _("Your challenge was received; the purchaser answers within 7 working days."))
        elif subject == "candidates":  # the publicity runs on; only the award waits (招标投标法实施条例 §54)
            messages.success(request, _("Your objection was received; the award waits for the tenderer's answer."))
        elif subject == "single_source":  # 财政部令第74号 §39: the notice waits for the answer
            messages.success(request, _("Your objection was received; the notice waits for the purchaser's answer."))
        elif subject == "opening":  # 招标投标法实施条例 §44: answered at the opening
            messages.success(request, _("Your objection to the opening was received; it is answered at the opening."))
        else:
            messages.success(
                request, _("Your objection was received; the tender is paused until the tenderer answers.")
            )
    return redirect("trading:project", code=project.code)


@require_POST
@login_required
def objection_answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = selectors.objection_get(objection_id)
    try:
        services.objection_answer(
            actor=acting_user(request), objection=objection, answer=request.POST.get("answer", "")[:6000]
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Answer published."))
    return redirect("trading:project", code=objection.project.code)


@require_POST
@login_required
def terminate(request: HttpRequest, code: str) -> HttpResponse:
    """终止招标 by the tenderer (招标投标法实施条例 §31)."""
    project = selectors.project_published(code)
    try:
        services.project_terminate(
            actor=acting_user(request), project=project, reason=request.POST.get("reason", "")[:600]
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The tender is terminated; the notice is on this page."))
    return redirect("trading:project", code=project.code)


@require_GET
def project_live(request: HttpRequest, code: str) -> HttpResponse:
    """The opening as it happens (不见面开标): polled by the project page while the opening is on."""
    return render(request, "trading/_live.html", _project_context(selectors.project_published(code)))


@require_GET
def opening_key(request: HttpRequest, code: str) -> HttpResponse:
    """The project's opening public key, as ``yiwang-seal seal --opening-key`` reads it."""
    project = selectors.project_published(code)
    key = getattr(project, "opening_key", None)
    response = HttpResponse((key.public_key if key else "") + "\n", content_type="text/plain; charset=ascii")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-opening.pub"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def keys(request: HttpRequest) -> HttpResponse:
    """My registered keys: a bidder's (seals and opens my bids) or a custodian's (receives shares)."""
    user = acting_user(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            services.party_key_register(
                actor=user,
                purpose=request.POST.get("purpose", "")[:16],
                public_key=request.POST.get("public_key", "")[:200],
            )
        except ValidationFailed as failed:
            errors, status = _errors(failed) or {"public_key": str(failed.message)}, 422
        except DomainError as error:
            status = _refused(request, error)
        else:
            messages.success(request, _("Key registered. The previous key of this kind no longer seals new bids."))
            return redirect("trading:keys")
    context = {"keys": selectors.keys_of(user), "purposes": KeyPurpose.choices, "errors": errors, "post": request.POST}
    return render(request, "trading/keys.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def bid_page(request: HttpRequest, code: str) -> HttpResponse:
    """投标: upload the sealed file made by ``yiwang-seal``; my bids with their receipts."""
    user = acting_user(request)
    project = selectors.project_published(code)
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("envelope")
        if upload is None:
            messages.error(request, _("Choose the sealed file (.ywseal) to upload."))
            status = 422
        else:
            try:
                services.bid_submit(
                    actor=user,
                    project=project,
                    lot_number=_int(request.POST.get("lot"), 1),
                    data=b"".join(upload.chunks()),
                    source_address=request.META.get("REMOTE_ADDR"),
                    user_agent=request.headers.get("User-Agent", "")[:500],
                )
            except DomainError as error:
                status = _refused(request, error)
            else:
                messages.success(request, _("Your sealed bid was received. Keep the receipt below."))
                return redirect("trading:bid", code=project.code)
    context = {
        "project": project,
        "lots": list(project.lots.all()),
        "bids": list(selectors.bids_of_bidder(user, project)),
        "key": selectors.bidder_key(user),
        "opening": getattr(project, "opening", None),
    }
    return render(request, "trading/bid.html", context, status=status)


@require_GET
@login_required
def receipt_download(request: HttpRequest, bid_id: int) -> JsonResponse:
    """The bid's latest signed receipt, to keep (it proves the bid was in before the deadline)."""
    bid = selectors.bid_of_bidder(acting_user(request), bid_id)
    receipt = bid.receipts.order_by("-sequence").select_related("key").first()
    assert receipt is not None  # every bid has the receipt of its upload
    body = {"content": receipt.content, "signature": receipt.signature, "platform_key": receipt.key.public_key}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="receipt-{bid.project.code}-{bid.pk}.json"'
    return response


@require_POST
@login_required
def bid_withdraw(request: HttpRequest, bid_id: int) -> HttpResponse:
    user = acting_user(request)
    bid = selectors.bid_of_bidder(user, bid_id)
    try:
        services.bid_withdraw(actor=user, bid=bid)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your bid was withdrawn. Keep the receipt of the withdrawal."))
    return redirect("trading:bid", code=bid.project.code)


@require_POST
@login_required
def bid_decrypt(request: HttpRequest, bid_id: int) -> HttpResponse:
    user = acting_user(request)
    bid = selectors.bid_of_bidder(user, bid_id)
    try:
        services.bid_decrypt(actor=user, bid=bid, content_key=request.POST.get("content_key", "")[:100])
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your bid was decrypted."))
    return redirect("trading:bid", code=bid.project.code)


@require_POST
@login_required
def share(request: HttpRequest, code: str) -> HttpResponse:
    """A custodian gives its share of the opening key (only after a platform fault)."""
    project = selectors.project_published(code)
    try:
        opened = services.share_submit(
            actor=acting_user(request), project=project, share=request.POST.get("share", "")[:100]
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Share received; %(n)d bids opened with the rebuilt key.") % {"n": opened}
            if opened
            else _("Share received. The key is rebuilt when enough custodians have given theirs."),
        )
    return redirect("trading:project", code=project.code)


@require_http_methods(["GET", "POST"])
def expert_pick(request: HttpRequest, token: str) -> HttpResponse:
    """The SMS link: the drawn expert confirms or declines (the link itself is the credential)."""
    pick = services.pick_of_token(token)
    if request.method == "POST":
        try:
            services.pick_respond(token=token, accept=request.POST.get("answer") == "confirm")
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
        return redirect("trading:expert_pick", token=token)
    return render(request, "trading/expert_pick.html", {"pick": pick})


@require_GET
@login_required
def award_notice_download(request: HttpRequest, code: str) -> HttpResponse:
    """中标通知书 (招标投标法 §45) as PDF: the winning bidder's, the tenderer's and the centre's and the
    supervisor's of the region; not found for anyone else and before the award."""
    project, winners = selectors.award_notice_of(acting_user(request), code)
    response = HttpResponse(
        award_notice.award_notice_pdf(project, winners, selectors.award_record_live(project)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{project.code}-award-notice.pdf"'
    return response
