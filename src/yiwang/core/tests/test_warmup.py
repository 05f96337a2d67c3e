"""core.warmup: which steps a process runs before it serves, and when (issue 22, warm workers). That a
started server's first request is warm is shown end to end in test_warm_workers.py."""

from __future__ import annotations

import logging

import pytest

from yiwang.core import warmup


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three steps of our own instead of the platform's, and this process not yet warmed."""
    ran: list[str] = []
    monkeypatch.setattr(
        warmup,
        "_steps",
        {
            "shared": warmup.Step(lambda: ran.append("shared")),
            "threads": warmup.Step(lambda: ran.append("threads"), fork_safe=False),
            "pages": warmup.Step(lambda: ran.append("pages"), tasks=False),
        },
    )
    monkeypatch.setattr(warmup, "_warmed_in", None)
    monkeypatch.setattr(warmup, "_before_fork", False)
    return ran


def test_tests_do_not_warm_up_and_a_process_warms_up_once(steps: list[str], settings) -> None:  # type: ignore[no-untyped-def]
    assert warmup.warm_up() == {} and steps == []  # the test settings
    settings.YIWANG_WARM_UP = True
    assert set(warmup.warm_up()) == {"shared", "threads", "pages"}
    assert warmup.warm_up() == {}  # runserver's import, then gunicorn's post_worker_init: once
    assert steps == ["shared", "threads", "pages"]


def test_a_forking_master_warms_what_workers_may_share_and_each_worker_the_rest(steps: list[str], settings) -> None:  # type: ignore[no-untyped-def]
    settings.YIWANG_WARM_UP = True
    warmup.before_fork()  # gunicorn_conf with preload_app, before the master imports the application
    assert set(warmup.warm_up()) == {"shared", "pages"}
    warmup.before_fork(False)  # post_fork, in the worker
    assert set(warmup.warm_up()) == {"shared", "threads", "pages"}  # post_worker_init: a new process


def test_a_consumer_loads_what_tasks_use(steps: list[str], settings) -> None:  # type: ignore[no-untyped-def]
    settings.YIWANG_WARM_UP = True
    assert set(warmup.warm_up(tasks=True)) == {"shared", "threads"}


def test_a_failing_step_is_logged_and_left_to_first_use(steps: list[str], monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken() -> None:
        raise RuntimeError("storage unreachable")

    monkeypatch.setitem(warmup._steps, "broken", warmup.Step(broken))
    with caplog.at_level(logging.ERROR, logger="yiwang.core.warmup"):
        took = warmup.warm_up(force=True)
    assert "broken" not in took and {"shared", "threads", "pages"} <= set(took)
    assert "warm-up step broken failed" in caplog.text


def test_the_platform_registers_what_its_first_requests_loaded() -> None:
    assert {
        "core.url_map",
        "core.templates",
        "core.translations",
        "core.model_relations",
        "core.process_copies",
        "core.jieba",
        "core.crypto",
        "core.documents",
        "catalogue.search",
        "hotline.models",
        "calendar.workdays",
        "disclosure.ocr",
    } <= set(warmup._steps)
    assert not warmup._steps["disclosure.ocr"].fork_safe  # ONNX Runtime's threads do not cross a fork
    assert not warmup._steps["catalogue.search"].tasks


@pytest.mark.django_db
def test_the_url_map_and_every_template_load() -> None:
    assert warmup.url_map_load() > 300  # names reversed, namespaces included
    assert warmup.templates_compile() > 100  # every template of the platform compiles
    assert warmup.process_copies_load() >= 2  # the working-day table, the items with 秒批 rules
