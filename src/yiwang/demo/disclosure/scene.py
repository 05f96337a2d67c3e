"""What every story of the demo's disclosure year shares: the timeline, the working days, the offices'
accounts and bodies, and the catalogue's categories once the office has made them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from yiwang.accounts.models import User
from yiwang.demo.disclosure.content import Office
from yiwang.demo.disclosure.timeline import Timeline, Workdays
from yiwang.disclosure.models import CatalogueCategory
from yiwang.organisation.models import Department


@dataclass
class Scene:
    timeline: Timeline
    days: Workdays
    today: date
    users: dict[str, User]
    bodies: dict[str, Department]  # by the office's key
    categories: dict[tuple[str, str], CatalogueCategory] = field(default_factory=dict)  # (office key, "上级/下级")
    made: Counter[str] = field(default_factory=Counter)

    @property
    def year(self) -> int:
        return self.today.year

    def body(self, office: Office) -> Department:
        return self.bodies[office.key]

    def user(self, username: str) -> User:
        return self.users[username]

    def category(self, office: Office, path: str) -> CatalogueCategory:
        return self.categories[(office.key, path)]
