"""How much of each category's weekly and monthly allowance a plan uses.

The budget panel shows these as bars; the monthly count includes the events
chosen or attended in the month's other weeks (``history``), because that is
how the optimiser counts them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from planner.core.model import Event, Plan, is_flexible
from planner.core.settings import Settings
from planner.core.text import wording


@dataclass(frozen=True, slots=True)
class QuotaUse:
    """One allowance: "job-seeker this month: 1 of 2"."""

    category: str
    period: str
    """"this week", "this month", or a month's name when the week spans two."""
    used: int
    limit: int

    @property
    def label(self) -> str:
        return f"{self.category} {self.period}"


def quota_use(plan: Plan, settings: Settings, history: Iterable[Event] = ()) -> list[QuotaUse]:
    """Every category cap the user set, with what the plan (and the month so far) uses."""
    chosen = [d.event for d in plan.chosen if not is_flexible(d.event)]
    first, last = plan.week_start, plan.week_start + timedelta(days=6)
    months = sorted({(first.year, first.month), (last.year, last.month)})
    seen = {e.key for e in chosen}
    earlier = [e for e in history if e.key not in seen]
    uses = []
    for name, rule in sorted(settings.categories.items()):
        if rule.max_per_week is not None:
            used = sum(1 for e in chosen if e.category == name)
            uses.append(QuotaUse(name, "this week", used, rule.max_per_week))
        if rule.max_per_month is None:
            continue
        for year, month in months:
            period = (
                "this month"
                if len(months) == 1
                else f"in {wording.month(first.replace(year=year, month=month, day=1))}"
            )
            used = sum(
                1
                for e in [*chosen, *earlier]
                if e.category == name and (e.start.year, e.start.month) == (year, month)
            )
            uses.append(QuotaUse(name, period, used, rule.max_per_month))
    return uses
