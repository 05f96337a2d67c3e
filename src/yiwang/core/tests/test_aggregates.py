"""What the aggregates recounted by day share: summed durations in seconds and the records' span."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yiwang.core.aggregates import duration_seconds, records_span
from yiwang.core.models import TaskFailure


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, 0), (timedelta(minutes=2, seconds=5), 125), (125_000_000, 125), (125_999_999, 125)],
)
def test_a_summed_duration_is_whole_seconds(value: object, seconds: int) -> None:
    assert duration_seconds(value) == seconds


@pytest.mark.django_db
def test_the_span_of_no_records_is_none() -> None:
    assert records_span([(TaskFailure, "failed_at")]) is None


@pytest.mark.django_db
def test_the_span_runs_from_the_first_record_to_the_last_in_local_days() -> None:
    from django.utils import timezone

    first = TaskFailure.objects.create(task_id="t1", task_name="x", error_type="E")
    TaskFailure.objects.create(task_id="t2", task_name="x", error_type="E")
    TaskFailure.objects.filter(pk=first.pk).update(failed_at=timezone.now() - timedelta(days=3))
    three_days_ago = timezone.localdate(timezone.now() - timedelta(days=3))
    assert records_span([(TaskFailure, "failed_at")]) == (three_days_ago, timezone.localdate())
