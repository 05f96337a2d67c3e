"""Licence identifiers (GB/T 36904) and SM2 signatures: the building blocks of issue 7."""

from __future__ import annotations

import pytest

from tests.files import pdf_bytes
from tests.parallel import at_once, require_postgresql
from yiwang.licences.identifiers import LicenceIdentifier, identifier_parse
from yiwang.licences.signing import SoftwareSigner, canonical, key_pair_generate, signature_valid

PUBLISHED = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"


def test_the_check_character_matches_the_published_example() -> None:
    parsed = identifier_parse(PUBLISHED)
    assert parsed == LicenceIdentifier("11100000000013338W011", "11430000006122244L", "20230000403", 1)
    assert str(parsed) == PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        PUBLISHED[:-1] + "V",  # wrong check character
        PUBLISHED.replace("20230000403", "20230000404"),  # a changed serial
        PUBLISHED.replace(".001.", ".01."),  # version not three digits
        "1.2.156.3005.1.11100000000013338W011.11430000006122244L.20230000403.001.U",  # another arc
        "",
        "不是证照标识",
    ],
)
def test_anything_else_is_not_an_identifier(text: str) -> None:
    assert identifier_parse(text) is None


def test_lower_case_and_spaces_are_forgiven() -> None:
    assert identifier_parse(f"  {PUBLISHED.lower()} ") is not None


def test_a_signature_verifies_and_any_change_breaks_it() -> None:
    private, public = key_pair_generate()
    assert (len(private), len(public)) == (64, 128)
    data = canonical({"holder": "张三", "number": "JY13599000000001", "valid_until": "2031-01-14"})
    signature = SoftwareSigner(private, public).sign(data)
    assert signature_valid(public, data, signature)
    tampered = canonical({"holder": "张四", "number": "JY13599000000001", "valid_until": "2031-01-14"})
    assert not signature_valid(public, tampered, signature)
    assert not signature_valid(public, data, signature[:-1] + ("0" if signature[-1] != "0" else "1"))
    _other_private, other_public = key_pair_generate()
    assert not signature_valid(other_public, data, signature)
    assert not signature_valid(public, data, "not a signature")


def test_a_public_key_beginning_with_04_signs_and_verifies() -> None:
    """gmssl strips a leading "04" with lstrip, eating the key's own leading 0s and 4s: one key in 256
    failed to verify its own signatures until the wrapper set the key back (seen in CI)."""
    private = "048b053d09d8043fe9f27d9f226c4fab9f1036dfdc07226004e7b0ffa76ae3a8"
    public = (
        "04cfbcdb01f65fd56c556e99ba8ff63c1cea9a523c5907b41c41057534922df0"
        "4679ee5eaeeeb46682e07adb0abf50981ef5285087148dc18d92288e1aa6489d"
    )
    data = canonical({"licence": "食品经营许可证"})
    assert signature_valid(public, data, SoftwareSigner(private, public).sign(data))


# Signed by the pure-Python gmssl signer the platform used before Tongsuo's C library (commit 78e2bc2).
BEFORE_PUBLIC = (
    "702d7a811c49549e5e1dc3e31f2500bbb299b6bb1b440b3c80b94aa1f5ca5002"
    "5aff5fb73d92a0643314ecfc6f69c3ea51df8ee4f59035e90cd847dc35cba338"
)
BEFORE_SIGNATURE = (
    "c9cd1beaba8e9e8ea96bdf5288790cb6bf0fb76d29076da331cc2ca178e183d4"
    "416aebd93b1e33f82d7b6eeece904bd6e201ca6b3443318825dd718782eb6a13"
)
BEFORE_CONTENT = {
    "identifier": PUBLISHED,
    "holder": "示范餐饮有限公司",
    "holder_code": "91350100M000100Y43",
    "issued_on": "2023-04-03",
    "number": "JY13599000000001",
    "type": "食品经营许可证",
    "valid_until": "2028-04-02",
}


def test_a_signature_made_before_the_c_library_still_verifies() -> None:
    assert signature_valid(BEFORE_PUBLIC, canonical(BEFORE_CONTENT), BEFORE_SIGNATURE)
    assert not signature_valid(BEFORE_PUBLIC, canonical({**BEFORE_CONTENT, "number": "JY2"}), BEFORE_SIGNATURE)


def test_a_batch_signed_by_the_software_signer_verifies_with_the_old_pure_python_verifier() -> None:
    from yiwang.core.crypto import sm2_verify_python

    private, public = key_pair_generate()
    items = [canonical({"n": n, "holder": "居民"}) for n in range(5)]
    signatures = SoftwareSigner(private, public).sign_many(items)
    assert len(set(signatures)) == 5
    assert all(sm2_verify_python(public, item, sig) for item, sig in zip(items, signatures, strict=True))


def test_the_canonical_form_does_not_depend_on_key_order() -> None:
    assert canonical({"b": 1, "a": "证"}) == canonical({"a": "证", "b": 1}) == '{"a":"证","b":1}'.encode()


@pytest.mark.django_db
def test_a_department_gets_one_key_and_its_private_half_is_never_stored_in_clear(demo_city) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from yiwang.licences.models import SigningKey
    from yiwang.licences.services import signer_for, signing_key_for
    from yiwang.organisation.models import Department

    market = Department.objects.get(short_name="市场监管局")
    key = signing_key_for(market)
    assert signing_key_for(market).pk == key.pk
    signer = signer_for(market)
    data = canonical({"licence": "食品经营许可证"})
    assert signature_valid(key.public_key, data, signer.sign(data))
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM licences_signingkey WHERE id = %s", [key.pk])
        stored = cursor.fetchone()[0]
    assert key.private_key not in stored and len(key.private_key) == 64
    assert SigningKey.objects.count() == 1


@pytest.mark.django_db
def test_an_issued_licence_verifies_and_any_tampering_shows(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    from yiwang.catalogue.models import LicenceType
    from yiwang.licences.models import Licence, SigningKey
    from yiwang.licences.selectors import licence_verify
    from yiwang.licences.services import licence_issue
    from yiwang.organisation.models import Department

    market = Department.objects.get(short_name="市场监管局")
    kind = LicenceType.objects.filter(holder_type="legal_person").first() or LicenceType.objects.first()
    licence = licence_issue(
        actor=None,
        licence_type=kind,
        issuer=market,
        holder_name="示范餐饮有限公司",
        holder_code="91350100M000100Y43",
        number="JY13599000000001",
        data={"经营项目": "热食类食品制售"},
    )
    assert identifier_parse(licence.identifier) is not None
    assert licence.holder_code_type == "001"
    second = licence_issue(
        actor=None, licence_type=kind, issuer=market, holder_name="张三", holder_code="11010519491231002X", number="2"
    )
    assert second.identifier != licence.identifier and second.holder_code_type == "111"

    checked = licence_verify(licence.identifier)
    assert (checked.found, checked.authentic) == (True, True)
    assert checked.holder_code_masked != "91350100M000100Y43" and "*" in checked.holder_code_masked
    assert licence_verify(licence.identifier.lower()).authentic
    assert not licence_verify(PUBLISHED).found  # well-formed, unknown: not found
    assert not licence_verify("垃圾").found

    for field, value in (("holder_name", "另一家公司"), ("number", "JY1"), ("valid_until", "2099-12-31")):
        Licence.objects.filter(pk=licence.pk).update(**{field: value})
        assert not licence_verify(licence.identifier).authentic, field
        Licence.objects.filter(pk=licence.pk).update(
            holder_name="示范餐饮有限公司", number="JY13599000000001", valid_until=None
        )
    assert licence_verify(licence.identifier).authentic
    Licence.objects.filter(pk=licence.pk).update(data={"经营项目": "全部"})
    assert not licence_verify(licence.identifier).authentic
    Licence.objects.filter(pk=licence.pk).update(data={"经营项目": "热食类食品制售"})
    sig = licence.signature
    Licence.objects.filter(pk=licence.pk).update(signature=sig[:-1] + ("1" if sig[-1] == "0" else "0"))
    assert not licence_verify(licence.identifier).authentic
    # Signed by another department's key: not authentic either.
    Licence.objects.filter(pk=licence.pk).update(signature=sig)
    police = Department.objects.get(short_name="公安局")
    from yiwang.licences.services import signing_key_for

    Licence.objects.filter(pk=licence.pk).update(signing_key=signing_key_for(police))
    assert not licence_verify(licence.identifier).authentic
    assert SigningKey.objects.count() == 2


@pytest.mark.django_db
def test_a_stored_licence_signed_in_pure_python_verifies_and_a_new_one_passes_the_old_verifier(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    """Both directions through the stored licence: the signer of today against the verifier of before,
    and a signature of before (pure-Python gmssl) against today's verification."""
    from yiwang.catalogue.models import LicenceType
    from yiwang.core.crypto import sm2_sign_python, sm2_verify_python
    from yiwang.licences.models import Licence
    from yiwang.licences.selectors import licence_verify
    from yiwang.licences.services import licence_issue, signed_content
    from yiwang.organisation.models import Department

    market = Department.objects.get(short_name="市场监管局")
    kind = LicenceType.objects.filter(holder_type="legal_person").first() or LicenceType.objects.first()
    licence = licence_issue(
        actor=None,
        licence_type=kind,
        issuer=market,
        holder_name="示范餐饮有限公司",
        holder_code="91350100M000100Y43",
        number="JY13599000000009",
    )
    key = licence.signing_key
    assert sm2_verify_python(key.public_key, signed_content(licence), licence.signature)
    before = sm2_sign_python(key.private_key, key.public_key, signed_content(licence))
    Licence.objects.filter(pk=licence.pk).update(signature=before)
    assert licence_verify(licence.identifier).authentic


@pytest.mark.django_db(transaction=True)
def test_parallel_issuing_gives_distinct_identifiers_and_one_key(demo_city) -> None:  # type: ignore[no-untyped-def]
    from yiwang.catalogue.models import LicenceType
    from yiwang.licences.models import Licence, SigningKey
    from yiwang.licences.services import licence_issue
    from yiwang.organisation.models import Department

    require_postgresql()
    market = Department.objects.get(short_name="市场监管局")
    kind = LicenceType.objects.create(code="99901", name="测试证", issuing_department=market, holder_type="both")

    def issue(n: int) -> object:
        return licence_issue(
            actor=None,
            licence_type=kind,
            issuer=market,
            holder_name="张三",
            holder_code="11010519491231002X",
            number=f"T{n}",
        )

    errors = [r for r in at_once([lambda n=n: issue(n) for n in range(16)]) if isinstance(r, BaseException)]
    assert errors == []
    assert Licence.objects.values("identifier").distinct().count() == 16
    assert SigningKey.objects.filter(department=market).count() == 1


@pytest.mark.django_db
def test_verification_by_api_and_page_shows_masked_holder_data(client, demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    from yiwang.audit.models import AuditRecord
    from yiwang.catalogue.models import LicenceType
    from yiwang.licences.models import Licence
    from yiwang.licences.services import licence_issue
    from yiwang.organisation.models import Department

    police = Department.objects.get(short_name="公安局")
    licence = licence_issue(
        actor=None,
        licence_type=LicenceType.objects.first(),
        issuer=police,
        holder_name="张三",
        holder_code="11010519491231002X",
        number="ID-1",
    )
    body = client.get("/api/v1/licences/verify", {"identifier": licence.identifier}).json()
    assert (body["found"], body["authentic"], body["status"]) == (True, True, "valid")
    assert body["holder"] == "张*" and body["holder_code"] == "110105********002X"
    assert client.get("/api/v1/licences/verify", {"identifier": "nonsense"}).json() == {
        "found": False,
        "authentic": False,
        "status": None,
        "licence_type": None,
        "number": None,
        "holder": None,
        "holder_code": None,
        "issuer": None,
        "issued_on": None,
        "valid_from": None,
        "valid_until": None,
        "replaced_by": None,
        "history": [],
    }
    page = client.get("/licences/verify/", {"identifier": licence.identifier}).content.decode()
    assert 'data-verified="authentic"' in page and "11010519491231002X" not in page and "张三" not in page
    Licence.objects.filter(pk=licence.pk).update(number="ID-2")
    assert (
        'data-verified="not-authentic"'
        in client.get("/licences/verify/", {"identifier": licence.identifier}).content.decode()
    )
    unknown = client.get("/licences/verify/", {"identifier": PUBLISHED})
    assert unknown.status_code == 200 and 'data-verified="not-found"' in unknown.content.decode()
    assert AuditRecord.objects.filter(action="licences.verify").count() == 5


@pytest.mark.django_db
def test_a_granted_case_concludes_with_a_signed_licence_in_the_holders_wallet(client, make_user, city) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import company_register
    from yiwang.cases import services as cases
    from yiwang.catalogue.models import ItemImplementation
    from yiwang.demo.catalogue import demo_catalogue_load
    from yiwang.demo.city import CENTRE_ADDRESS, demo_departments
    from yiwang.licences.models import Licence
    from yiwang.licences.selectors import licence_verify

    demo_catalogue_load(demo_departments(), CENTRE_ADDRESS)
    company = company_register(
        company_name="示范餐饮有限公司", credit_code="91350100M000100Y43", phone="13800138002", password="Pw-2026-test!"
    )
    version = ItemImplementation.objects.get(current__name="食品经营许可（新办）").current
    clerk = make_user(Role.CLERK, region=city)
    approver = make_user(Role.APPROVER, department=version.implementation.department)
    uploads = {
        m.pk: SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf")
        for m in version.materials.all()
        if not m.shared_data and m.necessity == "required"
    }
    case = cases.case_submit(
        actor=clerk,
        version=version,
        channel="window",
        applicant=cases.Applicant("legal_person", "示范餐饮有限公司", "credit_code", "91350100M000100Y43"),
        form_data={"main_business": "餐饮服务经营者", "area": "120", "online_sale": "否"},
        uploads=uploads,
    )
    cases.case_accept(actor=clerk, case=case)
    for _step in range(2):
        cases.case_task_complete(actor=approver, case=case, opinion="同意")
    cases.case_decide(actor=approver, case=case, decision="approve", opinion="准予许可")
    cases.case_conclude(actor=approver, case=case, result_number="JY13599000000007")
    licence = Licence.objects.get(case=case)
    assert (licence.number, licence.holder_account, licence.issuer) == ("JY13599000000007", company, case.department)
    assert licence_verify(licence.identifier).authentic
    client.force_login(company)
    page = client.get("/my/").content.decode()
    assert licence.identifier in page and 'data-licence-status="valid"' in page
    pdf = client.get(f"/licences/{licence.identifier}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "食品经营许可证" in text and "JY13599000000007" in text and "示范餐饮有限公司" in text
    client.force_login(clerk)
    assert client.get(f"/licences/{licence.identifier}.pdf").status_code == 404  # only the holder
