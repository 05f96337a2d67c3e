"""OCDS 1.1.5 (the Open Contracting Data Standard) for every published project (docs/trading.md §7).

One release per public step — the notice and each clarification (tender / tenderAmendment), the opening
(tenderUpdate, with the tenderers), the award, the contract, a termination (tenderCancellation) — and
a compiled record that merges them as OCDS's merge rules do for these fields (later releases replace
earlier values; arrays of objects merge by ``id``). The OCID is ``<YIWANG_TRADING_OCID_PREFIX>-<code>``.
Nothing of a bid is published before the opening, and no price before the opening record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation

from yiwang.trading.models import (
    Bid,
    BidStatus,
    Candidate,
    Contract,
    OcdsRelease,
    ProjectEvent,
    ProjectKind,
    ProjectStatus,
    SingleSourceGround,
    SingleSourcePublicity,
    TenderDocument,
    TradingMethod,
    TradingProject,
)

CURRENCY = "CNY"
SCHEME = "CN-USCC"  # 统一社会信用代码 (GB 32100)
METHODS = {
    TradingMethod.OPEN_TENDER: "open",
    TradingMethod.INVITED_TENDER: "selective",
    TradingMethod.COMPETITIVE_NEGOTIATION: "limited",
    TradingMethod.COMPETITIVE_CONSULTATION: "limited",
    TradingMethod.SINGLE_SOURCE: "direct",
    TradingMethod.REQUEST_FOR_QUOTATION: "limited",
}
CATEGORIES = {ProjectKind.CONSTRUCTION: "works", ProjectKind.PROCUREMENT: "goods"}
TENDER_STATUS = {
    ProjectStatus.DRAFT: "planning",
    ProjectStatus.BIDDING: "active",
    ProjectStatus.PAUSED: "active",
    ProjectStatus.FAILED: "unsuccessful",
    ProjectStatus.TERMINATED: "cancelled",
    ProjectStatus.CANCELLED: "withdrawn",
}
# Which event publishes which release, under which tag.
TAGS = {
    "single_source": "planning",  # 单一来源公示 (政府采购法实施条例 §38), before the notice
    "publish": "tender",
    "amend": "tenderAmendment",
    "opening_conclude": "tenderUpdate",
    "fail": "tenderUpdate",
    "award": "award",
    "contract": "contract",
    "contract_lot": "contract",
    "terminate": "tenderCancellation",
}


def ocid(project: TradingProject) -> str:
    return f"{settings.YIWANG_TRADING_OCID_PREFIX}-{project.code}"


def _value(amount: Decimal | None) -> dict[str, Any]:
    return {"amount": float(amount or 0), "currency": CURRENCY}


def _party(name: str, code: str, roles: list[str]) -> dict[str, Any]:
    party: dict[str, Any] = {"id": f"{SCHEME}-{code}" if code else name, "name": name, "roles": roles}
    if code:
        party["identifier"] = {"scheme": SCHEME, "id": code, "legalName": name}
    return party


def _buyer(project: TradingProject) -> dict[str, Any]:
    if project.tenderer_department is not None:
        department = project.tenderer_department
        return _party(department.name, department.credit_code or "", ["buyer"])
    company = project.tenderer_company
    assert company is not None
    return _party(company.get_full_name(), company.credit_code or "", ["buyer"])


def _tender(project: TradingProject, documents: list[TenderDocument], items: list[dict[str, Any]]) -> dict[str, Any]:
    tender: dict[str, Any] = {
        "id": project.code,
        "title": project.title,
        "status": TENDER_STATUS.get(ProjectStatus(project.status), "complete"),
        "procurementMethod": METHODS[TradingMethod(project.method)],
        "procurementMethodDetails": str(TradingMethod(project.method).label),
        "value": _value(project.budget),
        "items": items,
        "documents": [
            {
                "id": f"{project.code}-v{d.version}",
                "documentType": "tenderNotice" if d.version == 1 else "clarifications",
                "title": d.title,
                "description": d.body[:2000],
                "datePublished": d.published_at.isoformat(),
                "format": "text/plain",
                "language": "zh",
            }
            for d in documents
        ],
    }
    if project.kind in CATEGORIES:
        tender["mainProcurementCategory"] = CATEGORIES[ProjectKind(project.kind)]
    if project.published_at and project.bid_deadline:
        tender["tenderPeriod"] = {
            "startDate": project.published_at.isoformat(),
            "endDate": project.bid_deadline.isoformat(),
        }
    tender["awardCriteria"] = "ratedCriteria" if project.evaluation_method == "scoring" else "priceOnly"
    sole = SingleSourcePublicity.objects.filter(project=project).select_related("supplier").first()
    if sole is not None:
        ground = SingleSourceGround(sole.ground).label
        tender["procurementMethodRationale"] = f"{ground}：{sole.supplier.get_full_name()}。{sole.reason}"[:4000]
    return tender


def _tenderers(project: TradingProject) -> list[Bid]:
    return list(
        Bid.objects.filter(project=project)
        .exclude(status__in=(BidStatus.REPLACED, BidStatus.WITHDRAWN))
        .select_related("bidder")
        .order_by("submitted_at")
    )


def _built(project: TradingProject, events: list[ProjectEvent]) -> list[dict[str, Any]]:
    """The releases of ``events`` as the project stands now (numbered from the first public step)."""
    documents = list(TenderDocument.objects.filter(project=project).order_by("version"))
    buyer = _buyer(project)
    out: list[dict[str, Any]] = []
    # Read once for every release (a project has a handful of public steps).
    items = [{"id": str(lot.number), "description": lot.title, "quantity": 1} for lot in project.lots.all()]
    bids = _tenderers(project)
    winners = list(Candidate.objects.filter(project=project, awarded=True).select_related("bid__bidder"))
    first = ProjectEvent.objects.filter(project=project, action__in=TAGS)
    for event in events:
        n = first.filter(pk__lt=event.pk).count() + 1  # in the order the steps were taken
        tag = TAGS[event.action]
        release: dict[str, Any] = {
            "ocid": ocid(project),
            "id": f"{ocid(project)}-{n:03d}-{tag}",
            "date": event.at.isoformat(),
            "tag": [tag],
            "initiationType": "tender",
            "language": "zh",
            "parties": [buyer],
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
        }
        shown = [d for d in documents if d.published_at <= event.at]
        release["tender"] = _tender(project, shown, items)
        if event.action in ("opening_conclude", "award", "contract", "contract_lot") and project.status not in (
            ProjectStatus.BIDDING,
            ProjectStatus.PAUSED,
            ProjectStatus.CLOSED,
        ):
            tenderers = [_party(b.bidder.get_full_name(), b.bidder.credit_code or "", ["tenderer"]) for b in bids]
            release["parties"] = [buyer, *tenderers]
            release["tender"]["tenderers"] = [{"id": t["id"], "name": t["name"]} for t in tenderers]
            release["tender"]["numberOfTenderers"] = len(tenderers)
        if event.action in ("award", "contract", "contract_lot"):
            awards = [
                {
                    "id": f"{project.code}-award-{c.lot_id}",
                    "status": "active",
                    "date": (project.awarded_at or event.at).isoformat(),
                    "value": _value(c.price),
                    "suppliers": [{"id": f"{SCHEME}-{c.bid.bidder.credit_code}", "name": c.bid.bidder.get_full_name()}],
                }
                for c in winners
            ]
            release["awards"] = awards
            for c in winners:
                for party in release["parties"]:
                    if party["id"] == f"{SCHEME}-{c.bid.bidder.credit_code}" and "supplier" not in party["roles"]:
                        party["roles"] = [*party["roles"], "supplier"]
            if event.action in ("contract", "contract_lot") and awards:
                release["contracts"] = _contracts(project, awards, event)
        out.append(release)
    return out


def _contracts(project: TradingProject, awards: list[dict[str, Any]], event: ProjectEvent) -> list[dict[str, Any]]:
    """One contract per lot, as recorded by the step (a history written before contracts per lot: the
    project's one contract for the sum)."""
    rows = list(Contract.objects.filter(project=project, recorded_at__lte=event.at).select_related("lot"))
    if not rows and project.contract_signed_on:
        return [
            {
                "id": f"{project.code}-contract",
                "awardID": awards[0]["id"],
                "status": "active",
                "value": _value(project.contract_amount),
                "dateSigned": project.contract_signed_on.isoformat() + "T00:00:00+08:00",
            }
        ]
    return [
        {
            "id": f"{project.code}-contract-{c.lot.number}",
            "awardID": f"{project.code}-award-{c.lot_id}",
            "status": "active",
            "value": _value(c.amount),
            "dateSigned": c.signed_on.isoformat() + "T00:00:00+08:00",
        }
        for c in rows
    ]


def release_store(project: TradingProject, event: ProjectEvent) -> None:
    """Freezes the release of a public step as the project stood at that step (called in the step's
    transaction): what was published stays as published, whatever happens to the project later."""
    if event.action not in TAGS:
        return
    with translation.override("zh-hans"):  # the releases' language is zh, whoever takes the step
        (release,) = _built(project, [event])
    OcdsRelease.objects.create(project=project, event=event, release_id=release["id"], data=release)


def releases(project: TradingProject) -> list[dict[str, Any]]:
    """The project's releases, oldest first: as stored at each step; the steps taken before releases were
    stored (and rows written around the services, such as the demo's history) built as the project stands."""
    stored = {r.event_id: r.data for r in OcdsRelease.objects.filter(project=project)}
    events = list(ProjectEvent.objects.filter(project=project, action__in=TAGS).order_by("pk"))
    missing = [e for e in events if e.pk not in stored]
    built = dict(zip((e.pk for e in missing), _built(project, missing), strict=True)) if missing else {}
    return [stored.get(e.pk) or built[e.pk] for e in events]


def release_package(project: TradingProject) -> dict[str, Any]:
    """A release package (OCDS 1.1) of the project's releases."""
    items = releases(project)
    return {
        "uri": f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/api/v1/trading/ocds/releases/{project.code}",
        "version": "1.1",
        "publishedDate": items[-1]["date"] if items else project.created_at.isoformat(),
        "publisher": {"name": project.region.name + "公共资源交易中心"},
        "releases": items,
    }


def _merge(into: dict[str, Any], release: dict[str, Any]) -> None:
    for key, value in release.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
            by_id = {item["id"]: item for item in into.get(key, []) if isinstance(item, dict)}
            for item in value:
                if item["id"] in by_id:
                    _merge(by_id[item["id"]], item)
                else:
                    by_id[item["id"]] = dict(item)
            into[key] = list(by_id.values())
        else:
            into[key] = value


def record_package(project: TradingProject) -> dict[str, Any]:
    """A record package: the releases and their compiled release (OCDS merge of these fields)."""
    items = releases(project)
    compiled: dict[str, Any] = {}
    for release in items:
        _merge(compiled, {k: v for k, v in release.items() if k not in ("id", "tag")})
    if items:
        compiled["id"] = f"{ocid(project)}-compiled"
        compiled["tag"] = ["compiled"]
    return {
        "uri": f"{settings.YIWANG_PUBLIC_URL.rstrip('/')}/api/v1/trading/ocds/records/{project.code}",
        "version": "1.1",
        "publishedDate": items[-1]["date"] if items else project.created_at.isoformat(),
        "publisher": {"name": project.region.name + "公共资源交易中心"},
        "records": [{"ocid": ocid(project), "releases": items, "compiledRelease": compiled}] if items else [],
    }
