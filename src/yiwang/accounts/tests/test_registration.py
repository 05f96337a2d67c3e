"""Portal registration of citizens and companies; one account, many ways to log in ("一号")."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.models import AccountKind, User
from yiwang.accounts.services import citizen_register, company_register
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.core.identifiers import credit_code_with_check

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
PASSWORD = "Kx9-long-pass"
CREDIT = credit_code_with_check("N2440106MA9W1QK0X")  # letter-first: agriculture authority


def test_a_citizen_registers_with_the_id_number() -> None:
    user = citizen_register(full_name="张三", id_number=ID.lower(), phone="138 1234 5678", password=PASSWORD)
    user.refresh_from_db()
    assert user.kind == AccountKind.NATURAL_PERSON
    assert (user.id_number, user.phone) == (ID, "13812345678")
    assert list(user.role_assignments.values_list("role", flat=True)) == ["citizen"]


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("1101051949123100", "身份证号应为 18 位。"),
        ("110105194902300021", "身份证号中的出生日期（第 7–14 位）不是有效日期。"),
        ("110105194912310021", "身份证号的校验码（最后一位）不正确，请核对号码。"),
    ],
)
def test_a_bad_id_number_says_what_is_wrong(id_number: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        citizen_register(full_name="张三", id_number=id_number, phone="13812345678", password=PASSWORD)
    assert {"field": "id_number", "message": message} in error.value.details["errors"]
    assert not User.objects.exists()


def test_a_duplicate_identity_is_refused_clearly() -> None:
    citizen_register(full_name="张三", id_number=ID, phone="13812345678", password=PASSWORD)
    with pytest.raises(Conflict) as error:
        citizen_register(full_name="张三", id_number=ID, phone="13900001111", password=PASSWORD)
    assert error.value.code == "identity_registered"
    assert error.value.message == "该身份证号已注册，请直接登录或找回密码。"
    assert User.objects.count() == 1


def test_a_weak_password_is_refused_with_django_s_reasons() -> None:
    with pytest.raises(ValidationFailed) as error:
        citizen_register(full_name="张三", id_number=ID, phone="13812345678", password="12345678")
    assert any(e["field"] == "password" for e in error.value.details["errors"])


def test_a_company_registers_with_a_letter_first_credit_code() -> None:
    user = company_register(
        company_name="示范合作社", credit_code=CREDIT.lower(), phone="13812345678", password=PASSWORD
    )
    assert user.credit_code == CREDIT
    assert list(user.role_assignments.values_list("role", flat=True)) == ["company"]


@pytest.mark.parametrize("login", [ID, ID.lower(), "13812345678"])
def test_a_citizen_logs_in_by_id_number_or_phone(client: Client, login: str) -> None:
    citizen_register(full_name="张三", id_number=ID, phone="13812345678", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})
    assert response.status_code == 302


def test_a_company_logs_in_by_credit_code(client: Client) -> None:
    company_register(company_name="示范合作社", credit_code=CREDIT, phone="13812345678", password=PASSWORD)
    assert client.post("/accounts/login/", {"username": CREDIT, "password": PASSWORD}).status_code == 302


def test_the_same_account_works_for_the_api(client: Client) -> None:
    citizen_register(full_name="张三", id_number=ID, phone="13812345678", password=PASSWORD)
    response = client.post(
        "/api/v1/auth/token", {"username": "13812345678", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200


def test_the_registration_page_puts_errors_on_the_fields_and_keeps_the_input(client: Client) -> None:
    response = client.post(
        "/accounts/register/personal/",
        {
            "full_name": "张三",
            "id_number": "110105194912310021",
            "phone": "13812345678",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "身份证号的校验码（最后一位）不正确，请核对号码。" in content
    assert 'aria-invalid="true"' in content
    assert 'value="张三"' in content
    assert not User.objects.exists()


def test_registering_on_the_page_logs_the_citizen_in(client: Client) -> None:
    response = client.post(
        "/accounts/register/personal/",
        {
            "full_name": "张三",
            "id_number": ID,
            "phone": "13812345678",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        follow=True,
    )
    assert "注册成功。" in response.content.decode()
    assert response.context["user"].is_authenticated
