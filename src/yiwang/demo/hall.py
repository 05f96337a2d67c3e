"""The demo hall's business categories (one per window group) and, later, its appointment plans."""

from __future__ import annotations

from datetime import time

from yiwang.hall.services import queue_category_save
from yiwang.organisation.models import Hall, WindowGroup, WindowTheme

# prefix, name, theme of the window group, minutes per person
CATEGORIES = [
    ("A", "社会民生事务", WindowTheme.SOCIAL_LIVELIHOOD, 8),
    ("B", "企业开办与注册登记", WindowTheme.REGISTRATION, 15),
    ("C", "经营许可", WindowTheme.BUSINESS_LICENSING, 12),
    ("D", "工程建设项目", WindowTheme.INVESTMENT_CONSTRUCTION, 20),
    ("E", "户籍与出入境", WindowTheme.POLICE, 10),
    ("F", "社保与就业", WindowTheme.HUMAN_RESOURCES, 10),
    ("G", "税务办理", WindowTheme.TAXATION, 12),
]


def demo_hall_load(hall: Hall) -> None:
    groups = {group.theme: group for group in WindowGroup.objects.filter(hall=hall)}
    for order, (prefix, name, theme, minutes) in enumerate(CATEGORIES, start=1):
        queue_category_save(
            actor=None, hall=hall, prefix=prefix, group_id=groups[theme].pk, name=name, order=order,
            opens_at=time(8, 30), closes_at=time(17, 30), service_minutes=minutes,
        )  # fmt: skip


# Appointment plans: the busiest categories take bookings in half-day blocks (the rest queue on the day).
SLOT_PLANS = [
    ("A", [(time(9, 0), time(10, 0), 6), (time(10, 0), time(11, 0), 6), (time(14, 0), time(15, 0), 6)]),
    ("B", [(time(9, 0), time(10, 30), 4), (time(14, 0), time(15, 30), 4)]),
    ("E", [(time(9, 0), time(10, 0), 5), (time(15, 0), time(16, 0), 5)]),
]


def demo_slot_plans_load(hall: Hall) -> None:
    from yiwang.hall.appointments import slot_plan_save, slots_generate
    from yiwang.hall.models import QueueCategory

    for prefix, blocks in SLOT_PLANS:
        category = QueueCategory.objects.get(hall=hall, prefix=prefix)
        for start, end, capacity in blocks:
            slot_plan_save(actor=None, category=category, start=start, end=end, capacity=capacity)
    slots_generate(hall=hall)


CASE_HISTORY = 8000


def demo_performance_history() -> int:
    """A year of cases, two months of the hall's queue and their ratings, so the leaders' dashboards and
    the window assessment have something to show; then the aggregates are recounted and the cards swept."""
    from datetime import timedelta

    from django.utils import timezone

    from yiwang.demo.history.cases import history_generate as cases_history
    from yiwang.demo.history.evaluation import history_generate as ratings_history
    from yiwang.demo.history.hall import history_generate as queue_history
    from yiwang.oversight.aggregates import RECOUNTS, days_recount
    from yiwang.oversight.cards import oversee

    made = cases_history(CASE_HISTORY)
    if not made:
        return 0
    queue_history()
    ratings_history()
    today = timezone.localdate()
    days_recount(RECOUNTS, today - timedelta(days=370), today)
    oversee()
    return made
