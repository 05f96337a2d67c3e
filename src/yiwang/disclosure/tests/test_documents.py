"""Redaction of the documents released with a reply (§37): personal data proposed, each area confirmed by a
person with its legal ground (or rejected, or drawn by hand), the released copy rendered with no text of
the redacted values left in it, the log kept; the requester receives the copy, never the original."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.disclosure import services
from yiwang.disclosure.choices import Delivery, Ground, Outcome
from yiwang.disclosure.models import DisclosureRequest, RedactionArea
from yiwang.disclosure.redaction.tests.documents import (
    ADDRESS,
    MOBILE,
    NAME,
    SPLIT_ID,
    SPLIT_MOBILE,
    VALID_ID,
    digits_only,
    letter_pdf,
    texts_pdfium,
    texts_pypdf,
)

pytestmark = pytest.mark.django_db
SECRETS = (VALID_ID, MOBILE, SPLIT_ID, SPLIT_MOBILE)


def a_request(office: dict[str, Any]) -> DisclosureRequest:
    return services.request_submit(
        actor=office["citizen"], body=office["body"], description="某项目的申请材料", delivery=Delivery.ONLINE
    )


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("申请材料.pdf", letter_pdf(), content_type="application/pdf")


def test_personal_data_is_proposed_confirmed_and_removed_for_good(office: dict[str, Any]) -> None:
    made = a_request(office)
    document = services.document_add(actor=office["officer"], request=made, upload=upload())
    proposed = list(document.areas.all())
    kinds = {a.kind for a in proposed}
    assert {"id_number", "mobile"} <= kinds and all(a.detected and a.confirmed_at is None for a in proposed)
    assert all(VALID_ID not in a.hint and MOBILE not in a.hint for a in proposed)  # only masked hints stored
    with pytest.raises(Conflict) as pending:
        services.document_release(actor=office["officer"], document=document)
    assert pending.value.code == "redaction_pending"
    with pytest.raises(ValidationFailed):
        services.area_confirm(actor=office["officer"], area=proposed[0], ground=Ground.NOT_HELD)
    for area in proposed:
        services.area_confirm(actor=office["officer"], area=area, ground=Ground.THIRD_PARTY_PRIVACY)
    services.area_draw(
        actor=office["officer"],
        document=document,
        page=0,
        boxes=[[60, 60, 300, 80]],
        kind="other",
        ground=Ground.THIRD_PARTY_TRADE_SECRET,
    )
    released = services.document_release(actor=office["officer"], document=document)
    data = released.released.read()
    text = texts_pypdf(data) + texts_pdfium(data)
    for secret in SECRETS:
        assert secret not in text and secret not in digits_only(text)
    assert NAME not in text and ADDRESS not in text
    log = services.redaction_log(released)
    assert len(log) == len(proposed) + 1 and {entry["ground"] for entry in log} == {"privacy", "trade_secret"}
    reply = services.reply_make(
        actor=office["officer"],
        request=made,
        outcome=Outcome.PARTLY,
        ground=Ground.THIRD_PARTY_PRIVACY,
        text="部分公开",
        delivery=Delivery.ONLINE,
    )
    assert reply.outcome == Outcome.PARTLY
    requester = Client()
    requester.force_login(office["citizen"])
    copy = requester.get(f"/disclosure/mine/{made.pk}/documents/{document.pk}/")
    assert copy.status_code == 200 and copy.content == data


def test_the_reply_waits_for_every_proposal_and_a_rejected_area_stays(office: dict[str, Any]) -> None:
    made = a_request(office)
    document = services.document_add(actor=office["officer"], request=made, upload=upload())
    with pytest.raises(Conflict) as waiting:
        services.reply_make(
            actor=office["officer"], request=made, outcome=Outcome.PROVIDED, text="提供", delivery=Delivery.ONLINE
        )
    assert waiting.value.code == "redaction_pending"
    for area in document.areas.all():
        services.area_reject(actor=office["officer"], area=area)
    with pytest.raises(Conflict) as unreleased:
        services.reply_make(
            actor=office["officer"], request=made, outcome=Outcome.PROVIDED, text="提供", delivery=Delivery.ONLINE
        )
    assert unreleased.value.code == "release_pending"
    services.document_release(actor=office["officer"], document=document)
    services.reply_make(
        actor=office["officer"], request=made, outcome=Outcome.PROVIDED, text="提供", delivery=Delivery.ONLINE
    )
    assert RedactionArea.objects.filter(document=document, rejected=True).count() == document.areas.count()


def test_only_the_bodys_office_redacts_and_garbage_is_refused(office: dict[str, Any], make_user: Any) -> None:
    from yiwang.accounts.roles import Role

    made = a_request(office)
    stranger = make_user(Role.DISCLOSURE_OFFICER, department=office["other_body"])
    with pytest.raises(PermissionDenied):
        services.document_add(actor=stranger, request=made, upload=upload())
    fake = SimpleUploadedFile("x.pdf", b"%PDF-1.7\nnot really", content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        services.document_add(actor=office["officer"], request=made, upload=fake)
    document = services.document_add(actor=office["officer"], request=made, upload=upload())
    with pytest.raises(ValidationFailed):
        services.area_draw(
            actor=office["officer"],
            document=document,
            page=5,
            boxes=[[0, 0, 1, 1]],
            kind="other",
            ground=Ground.THIRD_PARTY_PRIVACY,
        )
    with pytest.raises(ValidationFailed):
        services.area_draw(
            actor=office["officer"],
            document=document,
            page=0,
            boxes=[["a", 0]],
            kind="other",
            ground=Ground.THIRD_PARTY_PRIVACY,
        )


def test_the_office_redacts_from_the_request_page(office: dict[str, Any]) -> None:
    made = a_request(office)
    client = Client()
    client.force_login(office["officer"])
    client.post(f"/workbench/disclosure/requests/{made.pk}/documents/", {"file": upload()})
    document = made.documents.get()
    page = client.get(f"/workbench/disclosure/requests/{made.pk}/").content.decode()
    assert 'data-testid="areas"' in page and "身份证号" in page
    assert VALID_ID not in page  # the page shows masked hints only
    preview = client.get(f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/pages/1.png")
    assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")
    assert (
        client.get(f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/pages/9.png").status_code == 404
    )
    ids = [str(a.pk) for a in document.areas.all()]
    client.post(
        f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/confirm/",
        {"area": ids, **{f"ground-{i}": "privacy" for i in ids}},
    )
    assert not document.areas.filter(confirmed_at__isnull=True).exists()
    client.post(f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/release/")
    released = client.get(f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/file/released/")
    assert released.status_code == 200 and VALID_ID not in texts_pdfium(released.content)
    requester = Client()
    requester.force_login(office["citizen"])
    assert (
        requester.get(f"/disclosure/mine/{made.pk}/documents/{document.pk}/").status_code == 404
    )  # not before the reply
    assert requester.get(
        f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/file/original/"
    ).status_code in (302, 403)


def test_review_findings_documents(office: dict[str, Any]) -> None:
    """A refusal releases nothing; a reply with areas removed is a partial one (§37); a box must be a real
    area of the page; the region's supervisor reads the request but not the original."""
    made = a_request(office)
    document = services.document_add(actor=office["officer"], request=made, upload=upload())
    for area in document.areas.all():
        services.area_confirm(actor=office["officer"], area=area)
    for bad in ([["nan", 0, 10, 10]], [[0, 0, 10, "inf"]], [[0, 0, 5000, 10]], [[10, 10, 10, 10]]):
        with pytest.raises(ValidationFailed):
            services.area_draw(
                actor=office["officer"],
                document=document,
                page=0,
                boxes=bad,
                kind="other",
                ground=Ground.THIRD_PARTY_PRIVACY,
            )
    services.document_release(actor=office["officer"], document=document)
    with pytest.raises(ValidationFailed) as refused:
        services.reply_make(
            actor=office["officer"],
            request=made,
            outcome=Outcome.REFUSED,
            ground=Ground.STATE_SECRET,
            text="不予公开",
            delivery=Delivery.ONLINE,
        )
    assert refused.value.details["errors"][0]["field"] == "documents"
    with pytest.raises(ValidationFailed) as partial:
        services.reply_make(
            actor=office["officer"], request=made, outcome=Outcome.PROVIDED, text="提供", delivery=Delivery.ONLINE
        )
    assert partial.value.details["errors"][0]["field"] == "outcome"
    supervisor = Client()
    supervisor.force_login(office["supervisor"])
    assert supervisor.get(f"/workbench/disclosure/requests/{made.pk}/").status_code == 200
    url = f"/workbench/disclosure/requests/{made.pk}/documents/{document.pk}/file/original/"
    assert supervisor.get(url).status_code == 404
    officer = Client()
    officer.force_login(office["officer"])
    assert officer.get(url).status_code == 200
    from yiwang.audit.models import AuditRecord

    assert AuditRecord.objects.filter(action="disclosure.original_read").count() == 1


def test_a_removed_document_leaves_no_file_behind(
    office: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The original holds the personal data the redaction removed: once its row goes, so do its files
    (and a copy made again replaces the old one on disk)."""
    from django.core.files.storage import default_storage

    made = a_request(office)
    document = services.document_add(actor=office["officer"], request=made, upload=upload())
    for area in document.areas.all():
        services.area_reject(actor=office["officer"], area=area)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_release(actor=office["officer"], document=document).released.name
        second = services.document_release(actor=office["officer"], document=document).released.name
    assert first != second and not default_storage.exists(first) and default_storage.exists(second)
    original = document.original.name
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(actor=office["officer"], document=document)
    assert not default_storage.exists(original) and not default_storage.exists(second)
