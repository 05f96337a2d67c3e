"""An ID card's number is its holder's ID number: masked on my page, the licence's page and public
verification, shown in full only when the holder asks, and every such showing audited like staff's
reveal (个人信息保护法 §51 security measures, §28 sensitive personal information; accounts.services
personal_data_reveal for staff)."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.services import citizen_register
from yiwang.audit.models import AuditRecord
from yiwang.licences.models import Licence
from yiwang.licences.tests.test_lifecycle import PASSWORD, PERSON, _id_card

pytestmark = pytest.mark.django_db
MASKED = PERSON[1][:6] + "********" + PERSON[1][-4:]


def test_the_number_is_masked_until_the_holder_asks_and_each_showing_is_audited(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    holder = citizen_register(full_name=PERSON[0], id_number=PERSON[1], phone="13800138001", password=PASSWORD)
    licence = _id_card()
    assert licence.number_masked == MASKED
    me = Client()
    me.force_login(holder)

    for page in (me.get("/my/"), me.get(f"/licences/mine/{licence.identifier}/")):
        text = page.content.decode()
        assert page.status_code == 200 and MASKED in text and PERSON[1] not in text
    verified = Client().get("/licences/verify/", {"identifier": licence.identifier}).content.decode()
    assert MASKED in verified and PERSON[1] not in verified

    assert not AuditRecord.objects.filter(action="personal_data.reveal").exists()
    shown = me.post(f"/licences/mine/{licence.identifier}/number/")
    assert shown.status_code == 200 and PERSON[1] in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    record = AuditRecord.objects.get(action="personal_data.reveal")
    assert (record.actor_id, record.object_id) == (holder.pk, str(licence.pk))
    assert PERSON[1] not in str(record.changes)  # the trail says what was shown, never the value
    # Shown once, masked again on the next visit.
    assert PERSON[1] not in me.get(f"/licences/mine/{licence.identifier}/").content.decode()


def test_no_one_else_reveals_a_holders_number(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    citizen_register(full_name=PERSON[0], id_number=PERSON[1], phone="13800138001", password=PASSWORD)
    licence = _id_card()
    other = citizen_register(full_name="李四", id_number="110102198506200035", phone="13800138009", password=PASSWORD)
    stranger = Client()
    stranger.force_login(other)
    assert stranger.post(f"/licences/mine/{licence.identifier}/number/").status_code == 404
    assert stranger.get(f"/licences/mine/{licence.identifier}/number/").status_code == 405
    assert not AuditRecord.objects.filter(action="personal_data.reveal").exists()


def test_a_number_that_is_no_personal_data_is_shown_as_it_is(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    licence = _id_card()
    Licence.objects.filter(pk=licence.pk).update(number="990102001-0008")
    licence.refresh_from_db()
    assert licence.number_masked == "990102001-0008"
