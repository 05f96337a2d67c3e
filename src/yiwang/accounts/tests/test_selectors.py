"""The reads other contexts make of accounts: who a request acts as, holders of a role, a person's lock."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yiwang.accounts import selectors
from yiwang.accounts.models import RoleAssignment
from yiwang.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_only_an_account_is_a_user_of_a_request(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.CITIZEN)
    assert selectors.user_from_principal(principal=user) == user
    assert selectors.user_from_principal(principal=AnonymousUser()) is None
    assert selectors.user_from_principal(principal=None) is None
    assert selectors.user_from_principal(principal=object()) is None


def test_the_ids_of_some_holders_of_a_role(make_user, city) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        make_user(Role.CLERK, region=city)
    citizen = make_user(Role.CITIZEN)
    clerks = set(RoleAssignment.objects.filter(role=Role.CLERK).values_list("user_id", flat=True))
    found = selectors.user_ids_with_role(role=Role.CLERK, limit=2)
    assert len(found) == 2 and set(found) <= clerks and citizen.pk not in found


def test_locking_an_account_reads_its_row_once_inside_the_transaction(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.CITIZEN)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        selectors.user_lock(user=user)
    (query,) = queries.captured_queries
    assert "accounts_user" in query["sql"]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in query["sql"]
