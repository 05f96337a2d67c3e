"""Learned dispatch suggestions: trained on a generated history of dispatched tickets, measured on a
held-out split, proposing three units with confidence and the words that drove them (issue 8)."""

from __future__ import annotations

import pytest

from yiwang.accounts.roles import Role
from yiwang.demo.city import demo_departments
from yiwang.demo.history.hotline import history_generate
from yiwang.demo.hotline import demo_hotline_load
from yiwang.hotline import services
from yiwang.hotline.learning import model_evaluate, model_train, suggestions_for, words
from yiwang.hotline.models import DispatchModel, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(demo_city) -> None:  # type: ignore[no-untyped-def]
    demo_hotline_load(demo_departments())
    history_generate(1500, seed=7)


def test_the_history_looks_like_a_year_of_calls(history) -> None:  # type: ignore[no-untyped-def]
    tickets = Ticket.objects.all()
    assert tickets.count() == 1500 and tickets.filter(unit__isnull=True).count() == 0
    assert tickets.values("category").distinct().count() > 20 and tickets.values("unit").distinct().count() > 8
    days = {t.created_at.date() for t in tickets}
    assert len(days) > 200  # spread over the year
    assert len({t.number for t in tickets}) == 1500


def test_the_model_learns_the_units_and_says_why(client, history, make_user, city) -> None:  # type: ignore[no-untyped-def]
    evaluation = model_evaluate()
    assert evaluation.samples == 1500 and evaluation.top1 > 0.8 and evaluation.top3 >= evaluation.top1
    assert "夜间" in words("幸福路工地夜间施工") or "施工" in words("幸福路工地夜间施工")
    record = model_train()
    assert DispatchModel.objects.get() == record and record.top1 == evaluation.top1
    agent = make_user(Role.HOTLINE_AGENT, region=city)
    ticket = services.ticket_create(
        actor=agent,
        intake=services.Intake(channel="phone", kind="complaint", category_code="HB0101", region_code="990103001",
                               description="楼下烧烤店油烟直排，熏得窗户都不敢开", caller_phone="13800138000"),
    )  # fmt: skip
    suggestions = suggestions_for(ticket)
    assert len(suggestions) == 3 and suggestions[0].unit.name == "示范市城西区人民政府"
    assert suggestions[0].confidence > suggestions[1].confidence and suggestions[0].words
    client.force_login(agent)
    body = client.get(f"/api/v1/hotline/tickets/{ticket.number}").json()
    assert body["learned"][0]["unit"] == "示范市城西区人民政府" and len(body["learned"]) == 3


def test_a_starting_process_loads_the_models_before_its_first_ticket(history, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 17, defect 10: the first ticket after a worker started took 5-10 s loading jieba's
    dictionary and the model. The WSGI module (every app server worker) and each Huey consumer warm up
    (core.warmup; the test settings turn it off, as tests do not serve)."""
    import importlib
    import sys

    from huey.contrib.djhuey import HUEY

    from yiwang.core import warmup
    from yiwang.hotline import learning

    settings.YIWANG_WARM_UP = True
    monkeypatch.setattr(warmup, "_steps", {"hotline.models": warmup._steps["hotline.models"]})  # this test's
    record = model_train()
    learning._loaded.clear()
    monkeypatch.setattr(warmup, "_warmed_in", None)
    sys.modules.pop("yiwang.wsgi", None)
    importlib.import_module("yiwang.wsgi")  # what gunicorn and runserver do in each worker
    assert learning._loaded["path"] == record.path and "categories" in learning._loaded
    learning._loaded.clear()
    HUEY._startup["_warm_up"]()  # a consumer's worker thread: this process has warmed up already
    assert learning._loaded == {}
    monkeypatch.setattr(warmup, "_warmed_in", None)
    HUEY._startup["_warm_up"]()  # what each consumer process runs before its first task
    assert learning._loaded["path"] == record.path
