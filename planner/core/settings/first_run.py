"""What the first-run setup's answers become as settings, without Qt.

The setup assistant (``planner/gui/setup_assistant.py``) asks a new user the
few things a plan needs (home, where they are on weekdays, how many hours a
week, when to be home, weekends) and hands the answers here. Each answer is
optional: a page the user skipped is ``None`` and leaves that setting as it
was, so running the setup again changes only what the user changed. The
result is a :class:`Settings`, saved like any other change (the user's file
is updated in place, comments kept).

Office hours have no key of their own: they become a protected time on the
office days labelled :data:`WORK_HOURS_LABEL` (nothing is proposed while the
user is at work), and the office a saved place named ``office``, found in
commitments whose location mentions "office" or "work", from which evening
trips then start.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path

from planner.core.model import TravelMode
from planner.core.settings.types import ProtectedTime, SavedPlace, Settings, SettingsError
from planner.core.settings.values import parse_place, place_text

WORK_HOURS_LABEL = "work hours"
"""The label of the protected time that holds the office hours the setup asked for."""
OFFICE = "office"
"""The saved place the setup's office address becomes."""
OFFICE_WORDS = ("Office", "Work")
"""Words in a commitment's location that put the user at the office."""
WORK_DAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class SetupAnswers:
    """The setup's answers; ``None`` everywhere a page was skipped (nothing changes there).

    ``home`` and ``office`` are what the user typed: "lat, lon", an address, or the
    name of a saved place; "" clears them.
    """

    home: str | None = None
    office: str | None = None
    office_days: tuple[int, ...] | None = None
    office_start: time | None = None
    office_end: time | None = None
    commute: TravelMode | None = None
    weekly_hours: float | None = None
    max_evenings_out: int | None = None
    latest_home: time | None = None
    protect_weekends: bool | None = None


def current_answers(settings: Settings) -> SetupAnswers:
    """The answers that would leave ``settings`` as they are: what each page shows first.

    A new user sees the defaults (home not set, office hours 9:00-17:00 on weekdays);
    a user setting up again sees what they have.
    """
    office = next((p for p in settings.places if p.place.name.lower() == OFFICE), None)
    hours = _work_hours(settings)
    return SetupAnswers(
        home=settings.home_text or place_text(settings.home),
        office=place_text(office.place) if office is not None else "",
        office_days=hours.days if hours is not None else WORK_DAYS,
        office_start=hours.start if hours is not None else time(9, 0),
        office_end=hours.end if hours is not None else time(17, 0),
        commute=settings.travel_mode,
        weekly_hours=settings.weekly_hours,
        max_evenings_out=settings.max_evenings_out,
        latest_home=settings.latest_home,
        protect_weekends=settings.protect_weekends,
    )


def _work_hours(settings: Settings) -> ProtectedTime | None:
    return next((p for p in settings.protected if p.label == WORK_HOURS_LABEL), None)


def apply_answers(settings: Settings, answers: SetupAnswers) -> Settings:
    """``settings`` changed as ``answers`` say, and only there.

    Raises:
        SettingsError: an answer that cannot be a setting (an office day that ends
            before it starts, a place that is no place), naming the question.
    """
    changed = settings
    if answers.home is not None:
        changed = _with_home(changed, answers.home.strip())
    if answers.office is not None:
        changed = _with_office(changed, answers.office.strip())
    if answers.office_start is not None or answers.office_end is not None:
        changed = _with_hours(changed, answers)
    if answers.commute is not None:
        changed = replace(changed, travel_mode=answers.commute)
    if answers.weekly_hours is not None:
        if not 0 <= answers.weekly_hours <= 168:
            raise SettingsError("Hours a week: a week has 168 hours")
        changed = replace(changed, weekly_hours=float(answers.weekly_hours))
    if answers.max_evenings_out is not None:
        changed = replace(changed, max_evenings_out=max(0, answers.max_evenings_out))
    if answers.latest_home is not None:
        if answers.latest_home <= changed.earliest_leave:
            raise SettingsError(
                f"Home by: {answers.latest_home:%H:%M} is before you leave home "
                f"({changed.earliest_leave:%H:%M})"
            )
        changed = replace(changed, latest_home=answers.latest_home)
    if answers.protect_weekends is not None:
        changed = replace(changed, protect_weekends=answers.protect_weekends)
    return changed


def _with_home(settings: Settings, text: str) -> Settings:
    if not text:
        return replace(settings, home=parse_place("home", ""), home_text="")
    saved = next((p for p in settings.places if p.place.name.lower() == text.lower()), None)
    if saved is not None:  # "office": home is where that saved place is
        text = place_text(saved.place)
    if text == (settings.home_text or place_text(settings.home)):
        return settings  # the same text: the place resolved from it is kept
    return replace(settings, home=parse_place("home", text, "Home"), home_text=text)


def _with_office(settings: Settings, text: str) -> Settings:
    others = tuple(p for p in settings.places if p.place.name.lower() != OFFICE)
    old = next((p for p in settings.places if p.place.name.lower() == OFFICE), None)
    if not text:
        return replace(settings, places=others)
    if old is not None and place_text(old.place) == text:
        return settings
    place = parse_place(OFFICE, text, "Office")
    words = old.match if old is not None else OFFICE_WORDS
    return replace(settings, places=(*others, SavedPlace(place, words)))


def _with_hours(settings: Settings, answers: SetupAnswers) -> Settings:
    old = _work_hours(settings)
    start = answers.office_start or (old.start if old else time(9, 0))
    end = answers.office_end or (old.end if old else time(17, 0))
    days = answers.office_days if answers.office_days is not None else WORK_DAYS
    if end <= start:
        raise SettingsError(f"Office hours: {end:%H:%M} is not after {start:%H:%M}")
    others = tuple(p for p in settings.protected if p.label != WORK_HOURS_LABEL)
    if not days:
        return replace(settings, protected=others)
    hours = ProtectedTime(tuple(sorted(set(days))), start, end, WORK_HOURS_LABEL)
    if old == hours:
        return settings
    return replace(settings, protected=(*others, hours))


def is_first_start(settings_file: Path, sources: int, typed_events: int) -> bool:
    """Whether planner starts for the first time: no settings file written yet, and
    nothing imported or typed (a user who only ever imported is not asked again)."""
    return not settings_file.exists() and sources == 0 and typed_events == 0
