"""§29(2)(1): a request on the portal without an account, with the requester's identity document. The
request number and a follow-up code (shown once, kept as a digest) lead back to it; a correction is sent
with the code; the office reads the identity document, audited; guesses are limited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.files import image_bytes, pdf_bytes
from yiwang.audit.models import AuditRecord
from yiwang.core.errors import PermissionDenied, ValidationFailed
from yiwang.core.identifiers import resident_id_with_check
from yiwang.disclosure import follow, selectors, services
from yiwang.disclosure.choices import Delivery, Outcome, RequestChannel, RequesterKind, RequestStatus
from yiwang.disclosure.models import DisclosureRequest

pytestmark = pytest.mark.django_db

ID_NUMBER = resident_id_with_check("33010219800101123")


def id_card(name: str = "id.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def fields(office: dict[str, Any], **changes: Any) -> dict[str, Any]:
    values = {
        "body": office["body"],
        "requester_kind": RequesterKind.NATURAL_PERSON,
        "requester_name": "李四",
        "identity_number": ID_NUMBER,
        "phone": "13700137000",
        "description": "2025年示范市道路养护经费",
        "delivery": Delivery.ONLINE,
        "identity_document": id_card(),
    }
    values.update(changes)
    return values


def test_a_request_without_an_account_keeps_who_asked_and_their_document(office: dict[str, Any]) -> None:
    made, code = services.request_submit_anonymous(**fields(office))
    assert made.requester_id is None and made.channel == RequestChannel.ONLINE
    assert made.requester_name == "李四" and made.identity_number == ID_NUMBER
    assert made.identity_document.name.startswith("disclosure/identity/")
    assert made.status == RequestStatus.RECEIVED and made.due_on is not None
    assert len(code) == follow.LENGTH and code not in made.follow_digest
    assert follow.matches(made, code) and follow.matches(made, f" {code[:5].lower()}-{code[5:]} ")
    assert not follow.matches(made, code[:-1] + ("2" if code[-1] != "2" else "3"))
    assert selectors.request_followed(number=made.number.lower(), code=code) == made
    assert selectors.request_followed(number=made.number, code="") is None
    assert AuditRecord.objects.filter(action="disclosure.request_submit_anonymous", object_id=str(made.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"identity_document": None}, "identity_document"),
        ({"identity_document": upload("id.exe", b"MZ\x90\x00")}, "identity_document"),
        ({"identity_document": upload("id.png", pdf_bytes())}, "identity_document"),  # not what it says
        ({"identity_number": "330102198001011230"}, "identity_number"),
        ({"requester_kind": RequesterKind.COMPANY}, "identity_number"),  # a person's ID is not a credit code
        ({"requester_kind": "alien"}, "requester_kind"),
        ({"requester_name": ""}, "requester_name"),
        ({"requester_name": "李" * 101}, "requester_name"),
        ({"phone": ""}, "phone"),
        ({"body": None}, "body"),
        ({"description": "   "}, "description"),
        ({"delivery": Delivery.POST}, "address"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_kept(office: dict[str, Any], change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.request_submit_anonymous(**fields(office, **change))
    assert field in {e["field"] for e in refused.value.details["errors"]}
    assert not DisclosureRequest.objects.exists()


def test_the_correction_comes_with_the_code_and_from_no_one_else(office: dict[str, Any]) -> None:
    made, code = services.request_submit_anonymous(**fields(office))
    services.correction_request(actor=office["officer"], request=made, what="请写明路段")
    with pytest.raises(PermissionDenied):
        services.correction_receive(actor=None, request=made, text="幸福路", follow_code="WRONGCODE2")
    with pytest.raises(PermissionDenied):  # another account, even a requester's, is not this requester
        services.correction_receive(actor=office["citizen"], request=made, text="幸福路")
    services.correction_receive(actor=None, request=made, text="幸福路", follow_code=code)
    made.refresh_from_db()
    assert made.status == RequestStatus.RECEIVED and "幸福路" in made.description


def test_the_portal_form_the_code_shown_once_and_following_from_another_browser(
    client: Client, office: dict[str, Any]
) -> None:
    cache.clear()
    form = client.get(f"/disclosure/apply/?body={office['body'].pk}").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="identity_number"' in form
    post = {
        "body": office["body"].pk,
        "requester_kind": "natural_person",
        "requester_name": "李四",
        "identity_number": ID_NUMBER,
        "phone": "13700137000",
        "description": "2025年示范市道路养护经费",
        "delivery": "online",
    }
    refused = client.post("/disclosure/apply/", post)
    assert refused.status_code == 422 and "身份证明" in refused.content.decode()
    assert not DisclosureRequest.objects.exists()
    answer = client.post("/disclosure/apply/", {**post, "identity_document": id_card()})
    made = DisclosureRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/disclosure/mine/{made.pk}/"
    page = client.get(answer["Location"]).content.decode()
    code = re.search(r'data-testid="follow-code">([A-Z0-9]+)<', page).group(1)  # type: ignore[union-attr]
    assert follow.matches(made, code) and 'data-testid="computation"' in page
    assert code not in client.get(answer["Location"]).content.decode()  # shown once

    stranger = Client()
    assert stranger.get(f"/disclosure/mine/{made.pk}/").status_code == 302  # to the login page
    wrong = stranger.post("/disclosure/follow/", {"number": made.number, "code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and "没有" in wrong.content.decode()
    found = stranger.post("/disclosure/follow/", {"number": made.number, "code": code.lower()})
    assert found.status_code == 302 and found["Location"] == f"/disclosure/mine/{made.pk}/"
    assert made.number in stranger.get(found["Location"]).content.decode()

    signed_in = Client()  # an account's session that has not shown the code does not see it
    signed_in.force_login(office["citizen"])
    assert signed_in.get(f"/disclosure/mine/{made.pk}/").status_code == 404


def test_the_reply_and_released_documents_reach_the_follower(client: Client, office: dict[str, Any]) -> None:
    cache.clear()
    made, code = services.request_submit_anonymous(**fields(office))
    services.reply_make(
        actor=office["officer"], request=made, outcome=Outcome.CANNOT, ground="not_held",
        text="经检索，本机关未制作或获取该信息。", delivery=Delivery.ONLINE,
    )  # fmt: skip
    client.post("/disclosure/follow/", {"number": made.number, "code": code})
    assert client.get(f"/disclosure/mine/{made.pk}/reply.pdf").content.startswith(b"%PDF")
    assert Client().get(f"/disclosure/mine/{made.pk}/reply.pdf").status_code == 302


def test_wrong_codes_are_limited(client: Client, office: dict[str, Any]) -> None:
    cache.clear()
    made, code = services.request_submit_anonymous(**fields(office))
    for _ in range(5):
        assert client.post("/disclosure/follow/", {"number": made.number, "code": "AAAAAAAAAA"}).status_code == 404
    blocked = client.post("/disclosure/follow/", {"number": made.number, "code": code})
    assert blocked.status_code == 429  # this address is locked out of the number for the hour
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")  # the requester, from another address, is not
    assert elsewhere.post("/disclosure/follow/", {"number": made.number, "code": code}).status_code == 302
    assert AuditRecord.objects.filter(action="disclosure.follow", result="denied").exists()


def test_the_office_reads_the_identity_document_and_no_one_else(client: Client, office: dict[str, Any]) -> None:
    made, _code = services.request_submit_anonymous(**fields(office))
    client.force_login(office["officer"])
    page = client.get(f"/workbench/disclosure/requests/{made.pk}/").content.decode()
    assert f"/workbench/disclosure/requests/{made.pk}/identity/" in page
    answer = client.get(f"/workbench/disclosure/requests/{made.pk}/identity/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert AuditRecord.objects.filter(action="disclosure.identity_document_read", object_id=str(made.pk)).exists()
    supervisor = Client()
    supervisor.force_login(office["supervisor"])
    assert supervisor.get(f"/workbench/disclosure/requests/{made.pk}/identity/").status_code == 404
