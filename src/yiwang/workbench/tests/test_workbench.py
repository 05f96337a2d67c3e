from __future__ import annotations

import pytest
from django.test import Client

from yiwang.accounts.roles import Role
from yiwang.core.models import TaskFailure

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workbench/")


def test_navigation_follows_the_role(make_user, login) -> None:  # type: ignore[no-untyped-def]
    content = login(make_user(Role.SYSADMIN)).get("/workbench/").content.decode()
    assert 'data-nav="organisation-import"' in content
    assert 'data-nav="task-failures"' in content
    assert "系统管理员" in content

    clerk_page = login(make_user(Role.CLERK)).get("/workbench/").content.decode()
    assert 'data-nav="home"' in clerk_page
    assert 'data-nav="organisation-import"' not in clerk_page
    assert "暂无待办事项" in clerk_page


def test_failed_tasks_wait_on_the_system_administrator(make_user, login) -> None:  # type: ignore[no-untyped-def]
    TaskFailure.objects.create(task_id="t1", task_name="x", error_type="E")
    content = login(make_user(Role.SYSADMIN)).get("/workbench/tasks/").content.decode()
    assert "1 个后台任务执行失败，需要处理" in content


def test_the_task_list_refreshes_through_htmx(make_user, login) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.APPROVER))
    page = client.get("/workbench/").content.decode()
    assert 'hx-get="/workbench/tasks/"' in page
    partial = client.get("/workbench/tasks/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()


def test_my_running_jobs_are_in_my_task_list(make_user, login) -> None:  # type: ignore[no-untyped-def]
    from yiwang.core.models import Job, JobStatus

    user = make_user(Role.SYSADMIN)
    Job.objects.create(kind="organisation_import", created_by=user, status=JobStatus.RUNNING, input_name="区划.xlsx")
    Job.objects.create(kind="organisation_import", created_by=user, status=JobStatus.SUCCEEDED, input_name="旧.xlsx")
    content = login(user).get("/workbench/tasks/").content.decode()
    assert "从 Excel 导入行政区划和部门：区划.xlsx" in content
    assert "旧.xlsx" not in content


def test_the_workbench_home_query_count_is_pinned(make_user, login, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = login(make_user(Role.CLERK))
    client.get("/workbench/")
    # session, user, roles, my jobs (task source), role badges; no write on a plain page view.
    with django_assert_num_queries(5):
        client.get("/workbench/")


def test_the_portal_home_query_count_is_pinned(client, demo_city, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(3):  # cold: the most applied for, the catalogue's items, the halls
        client.get("/")
    with django_assert_num_queries(1):  # the halls, with their centres joined; the services cached
        client.get("/")
