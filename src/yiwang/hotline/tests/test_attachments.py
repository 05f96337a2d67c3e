"""Attachments of a ticket: a channel's photo within a day, the unit's evidence, files checked before
anything is stored, downloads only for those who may see the ticket and audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.files import image_bytes, pdf_bytes
from yiwang.accounts.api_keys import api_key_issue
from yiwang.accounts.roles import Role
from yiwang.audit.models import AuditRecord
from yiwang.demo.city import demo_departments
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline.models import Ticket, TicketAttachment
from yiwang.organisation.models import Department

pytestmark = pytest.mark.django_db
PNG = image_bytes("PNG")
BODY = {"kind": "help", "category": "SZ0101", "description": "幸福路路面塌陷有大坑", "region": "990102002",
        "caller_phone": "13600136000", "channel": "app"}  # fmt: skip


@pytest.fixture
def setting(demo_city, make_user, city, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    demo_hotline_load(demo_departments())
    raw, _key = api_key_issue(actor=None, name="市民通 App", scopes=["hotline:submit"])
    return {"key": raw, "agent": make_user(Role.HOTLINE_AGENT, region=city),
            "other_unit": make_user(Role.HANDLER, department=Department.objects.get(short_name="公安局"))}  # fmt: skip


def test_a_channel_attaches_a_photo_and_staff_download_it_audited(setting) -> None:  # type: ignore[no-untyped-def]
    app = Client()
    created = app.post("/api/v1/hotline/tickets", BODY, content_type="application/json", HTTP_X_API_KEY=setting["key"])
    number = created.json()["number"]
    url = f"/api/v1/hotline/tickets/{number}/attachments"
    fake = SimpleUploadedFile("坑.png", b"not an image", content_type="image/png")
    refused = app.post(url, {"file": fake}, HTTP_X_API_KEY=setting["key"])
    assert refused.status_code == 422 and "不是真正的" in refused.json()["message"]
    assert not TicketAttachment.objects.exists()
    photo = SimpleUploadedFile("坑.png", PNG, content_type="image/png")
    sent = app.post(url, {"file": photo}, HTTP_X_API_KEY=setting["key"])
    assert sent.status_code == 201 and sent.json()[0]["name"] == "坑.png"
    staff = Client()
    staff.force_login(setting["agent"])
    detail = staff.get(f"/api/v1/hotline/tickets/{number}").json()
    (attachment,) = detail["attachments"]
    download = staff.get(f"{url}/{attachment['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert AuditRecord.objects.filter(action="hotline.attachment_download").count() == 1
    outsider = Client()
    outsider.force_login(setting["other_unit"])
    assert outsider.get(f"{url}/{attachment['id']}").status_code == 404
    # A day later the channel can no longer add files to it.
    Ticket.objects.filter(number=number).update(created_at=timezone.now() - timedelta(hours=25))
    late = app.post(url, {"file": SimpleUploadedFile("b.png", PNG)}, HTTP_X_API_KEY=setting["key"])
    assert late.status_code == 403


def test_the_agent_attaches_a_scanned_letter_on_the_ticket_page(client, setting) -> None:  # type: ignore[no-untyped-def]
    app = Client()
    number = app.post(
        "/api/v1/hotline/tickets", BODY, content_type="application/json", HTTP_X_API_KEY=setting["key"]
    ).json()["number"]
    client.force_login(setting["agent"])
    page = f"/workbench/hotline/tickets/{number}/"
    client.post(page + "attach/", {"file": SimpleUploadedFile("信件.pdf", pdf_bytes("letter"))})
    shown = client.get(page).content.decode()
    assert 'data-attachments="1"' in shown and "信件.pdf" in shown
    files = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(9)]
    client.post(page + "attach/", {"file": files})
    assert TicketAttachment.objects.count() == 1  # ten would be too many: none of the nine stored
