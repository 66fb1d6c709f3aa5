"""Planning one week: from commitments, candidates and rules to a Plan.

The steps, each of which an explanation can point back to:

1. every candidate occurrence gets a value (stars x category weight) and its
   trips as if attended alone (origin-aware, see :mod:`itinerary`);
2. single-event rules (cancelled, refused, protected time, clashes with a
   commitment, travel that does not fit, home too late, over the budget on
   its own...) leave an event out with a reason, before any optimisation;
3. the optimiser picks the best set of the rest (:mod:`optimiser`) under the
   weekly rules (:mod:`rules`);
4. every event the optimiser left out is explained by the better event it
   clashes with, or by the first of those same rules the chosen set leaves
   no room in;
5. chosen events on one evening are chained (office -> event A -> event B ->
   home) when that is shorter than going home in between.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from planner.core.model import (
    BudgetUse,
    Choices,
    Decision,
    Event,
    FlexibleResult,
    Place,
    Plan,
    Reason,
    Status,
    Target,
    Trip,
    flexible_uid,
)
from planner.core.planning.optimiser import solve
from planner.core.planning.options import Limits, Option
from planner.core.planning.rules import (
    MAX_GAP_CHECK,
    Conflicts,
    Verdict,
    explain_left_out,
    weekly_rules,
)
from planner.core.settings import FlexibleBlock, Settings
from planner.core.text import wording
from planner.core.travel.by_timetable import main_ride
from planner.core.travel.itinerary import HOME_SLACK, Legs, Whereabouts, back_at
from planner.core.travel.service import TravelService


def week_of(day: date, settings: Settings) -> datetime:
    """Monday 00:00, local time, of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, time(0), tzinfo=settings.zone)


UNREACHABLE_MINUTES = 24 * 60
"""Between two events with no ride in time (after the last train): never fits."""


def stars_of(event: Event, settings: Settings, choices: Choices) -> int:
    """The user's rating, else their keyword rules ("Help Desk Institute" = 5 stars),
    else the feed's PRIORITY (1 = highest), else the default."""
    if event.key in choices.stars:
        return choices.stars[event.key]
    text = f"{event.summary}\n{event.description}".casefold()
    matched = [rule.stars for rule in settings.keyword_stars if rule.match.casefold() in text]
    if matched:
        return max(matched)
    if event.priority:
        return {1: 5, 2: 5, 3: 4, 4: 4, 5: 3, 6: 2, 7: 2, 8: 1, 9: 1}[min(event.priority, 9)]
    return settings.default_stars


_VOLUNTEERS_FREE = re.compile(
    r"\bvolunteers?\b[^.\n]{0,60}\b(free|no charge|complimentary)\b"
    r"|\b(free|no charge|complimentary)\b[^.\n]{0,60}\bvolunteers?\b",
    re.IGNORECASE,
)


def free_for_volunteers(event: Event) -> bool:
    """Whether the organiser says volunteers attend free ("Free for volunteers")."""
    return "volunteer" in event.categories or bool(
        _VOLUNTEERS_FREE.search(f"{event.summary}\n{event.description}")
    )


def cost_to_user(event: Event, settings: Settings) -> float:
    """What the ticket costs this user: nothing when they volunteer where volunteers are free."""
    if settings.volunteer and free_for_volunteers(event):
        return 0.0
    return event.cost or 0.0


def protected_times(settings: Settings, week: datetime) -> list[tuple[datetime, datetime, str]]:
    """The week's protected times from ``[[rules.protected]]``, as local datetimes."""
    out = []
    for rule in settings.protected:
        for day in rule.days:
            date_ = (week + timedelta(days=day)).date()
            out.append(
                (
                    datetime.combine(date_, rule.start, week.tzinfo),
                    datetime.combine(date_, rule.end, week.tzinfo),
                    rule.label,
                )
            )
    return out


def value_of(event: Event, settings: Settings, choices: Choices) -> float:
    return stars_of(event, settings, choices) * settings.category(event.category).weight


def _is_evening(event: Event, settings: Settings) -> bool:
    return event.end.timetz().replace(tzinfo=None) > settings.evening_starts or (
        event.end.date() > event.start.date()
    )


def _charged(event: Event, legs: Legs, settings: Settings) -> tuple[int, int]:
    travel = (legs.trip_to.minutes if legs.trip_to else 0) + (
        legs.trip_from.minutes if legs.trip_from else 0
    )
    duration = round(event.duration.total_seconds() / 60)
    return duration + (travel if settings.counts_travel else 0), travel


def check_alone(
    event: Event,
    legs: Legs,
    where: Whereabouts,
    settings: Settings,
    week: datetime,
    limits: Limits | None = None,
    now: datetime | None = None,
) -> Verdict | None:
    """The first single-event rule that ``event`` breaks, or None.

    ``now`` (given for the week under way) leaves out what can no longer be reached.
    """
    if event.status is Status.CANCELLED:
        return Verdict(Reason.CANCELLED, "the organiser cancelled it")
    if not week <= event.start < week + timedelta(days=7):
        return Verdict(
            Reason.OUTSIDE_WEEK,
            f"it is on {wording.short_date(event.start)}, outside the week planned",
        )
    if now is not None:
        verdict = check_past(event, legs, now)
        if verdict is not None:
            return verdict
    if settings.protect_weekends and event.start.weekday() >= 5:
        return Verdict(
            Reason.PROTECTED,
            f"{wording.weekday(event.start)} is protected: your rules keep weekends free",
            "fits only if you stop protecting weekends",
        )
    for start, end, label in protected_times(settings, week):
        if legs.leave_at < end and start < legs.back_at:
            name = f" for {label}" if label else ""
            return Verdict(
                Reason.PROTECTED,
                f"{wording.weekday(start)} {wording.clock(start)}-{wording.clock(end)} "
                f"is kept free{name} in your rules",
                "fits only if you give up that protected time",
            )
    clashes = where.clashes(event.start, event.end)
    if clashes:
        c = clashes[0]
        return Verdict(
            Reason.CONFLICT,
            f"clashes with {c.summary} ({wording.span(c)})",
            f"would fit if you skipped {c.summary} that day",
        )
    unreachable = _unreachable(event, legs, where)
    if unreachable is not None:
        return unreachable
    if legs.trip_to is not None:
        blocking = where.clashes(legs.leave_at, event.start)
        if blocking:
            free_at = max(c.end for c in blocking)
            arrive = free_at + timedelta(minutes=legs.trip_to.minutes)
            rush = " in rush hour" if legs.trip_to.rush_hour else ""
            how = f"{legs.trip_to.minutes} min from {wording.place(legs.origin)}{rush}"
            later = where.later_trip(legs.trip_to, free_at)
            if later is None and legs.trip_to.legs and legs.trip_to.reachable:
                return Verdict(
                    Reason.TRAVEL,
                    f"{blocking[-1].summary} ends at {wording.clock(free_at)}, and nothing "
                    f"runs from {wording.place(legs.origin)} after it that gets you there "
                    "before the morning",
                    f"fits if you could leave {blocking[-1].summary} by "
                    f"{wording.clock(legs.leave_at)}",
                )
            if later is not None:  # by the timetable: the train after the one missed
                late_by = (back_at(free_at, later) - event.start).total_seconds()
                arrive = event.start + timedelta(minutes=math.ceil(late_by / 60))  # (as fits says)
                how = f"the next way is {wording.first_ride(later.legs)}, {later.label}"
            late = ""
            if settings.late_allowed(event.category):
                minutes_late = round((arrive - event.start).total_seconds() / 60)
                late = f", {minutes_late} min late ({late_allowance(event, settings)})"
            return Verdict(
                Reason.TRAVEL,
                f"you would arrive at {wording.clock(arrive)} for {wording.a_clock(event.start)} "
                f"start: {how}" + late,
                f"fits if you could leave {blocking[-1].summary} by {wording.clock(legs.leave_at)}",
            )
    if legs.trip_from is not None:
        blocking = where.clashes(event.end, legs.back_at)
        if blocking:
            c = blocking[0]
            reach = event.end + timedelta(minutes=legs.trip_from.minutes)
            return Verdict(
                Reason.TRAVEL,
                f"you would reach {c.summary} at {wording.clock(reach)} but it starts at "
                f"{wording.clock(c.start)} ({legs.trip_from.minutes} min away)",
                f"fits if you left at {wording.clock(c.start - (reach - event.end))}",
            )
        earliest = datetime.combine(event.start.date(), settings.earliest_leave, event.start.tzinfo)
        if legs.origin == "home" and legs.leave_at < earliest:
            return Verdict(
                Reason.EARLIEST_LEAVE,
                f"you would have to leave home at {wording.clock(legs.leave_at)}, before your "
                f"{wording.clock(earliest)} rule",
            )
        latest = datetime.combine(event.start.date(), settings.latest_home, event.start.tzinfo)
        if legs.destination == "home" and legs.back_at > latest:
            return Verdict(
                Reason.LATEST_RETURN,
                _home_late(event, legs, where, latest),
                f"fits if you left at {wording.clock(event.end - (legs.back_at - latest))}",
            )
    charged, _ = _charged(event, legs, settings)
    if charged > settings.weekly_minutes:
        return Verdict(
            Reason.BUDGET,
            f"would use {wording.minutes(charged)} of your "
            f"{wording.minutes(settings.weekly_minutes)}"
            " week" + (" (travel included)" if settings.counts_travel else ""),
            f"fits with a weekly budget of {wording.minutes(charged)}",
        )
    limits = limits or limits_for(settings)
    month = month_of(event)
    money_room = limits.money_room(month)
    if money_room is not None and cost_to_user(event, settings) > money_room + 1e-9:
        spent = limits.money_spent.get(month, 0.0)
        earlier = f" ({wording.money(spent)} spent in other weeks)" if spent else ""
        return Verdict(
            Reason.MONEY,
            f"costs {wording.money(event.cost)}, more than the {wording.money(max(0, money_room))}"
            f" left of your {wording.money(limits.money)} for "
            f"{wording.month(event.start)}{earlier}",
        )
    if limits.per_category.get(event.category) == 0:
        return Verdict(Reason.QUOTA, f"your rules allow no {event.category} events")
    month_room = limits.month_room(event.category, month)
    if month_room is not None and month_room <= 0:
        done = limits.history_count.get((event.category, month), 0)
        return Verdict(
            Reason.QUOTA,
            f"your {limits.per_category_month[event.category]} {event.category} events for "
            f"{wording.month(event.start)} are used up ({done} in other weeks)",
        )
    return None


def _home_late(event: Event, legs: Legs, where: Whereabouts, latest: datetime) -> str:
    """ "you would be home at 23:10, after your 22:00 limit (70 min back)"; by the
    timetable it names the train: "the last GO LE to Whitby GO leaves Union Station at
    23:55; you would be home at 00:44, …", or "… (the 21:55 GO LE), after …"."""
    assert legs.trip_from is not None
    home = f"you would be home at {wording.clock(legs.back_at)}"
    limit = f"after your {wording.clock(latest)} limit ({legs.trip_from.minutes} min back)"
    last = where.travel.last_ride(legs.trip_from, event.end)
    taken = main_ride(legs.trip_from.legs)
    if last is None or taken is None:
        return f"{home}, {limit}"
    if taken.depart >= last.depart:
        return f"{wording.last_ride(last)}; {home}, {limit}"
    return f"{home} ({wording.first_ride((taken,))}), {limit}"


def _unreachable(event: Event, legs: Legs, where: Whereabouts) -> Verdict | None:
    """A trip the timetables cannot make in time: nothing arrives by the start, or
    nothing runs back after the end (the last train has left)."""
    if legs.trip_to is not None and not legs.trip_to.reachable:
        return Verdict(
            Reason.TRAVEL,
            f"no ride in your timetables gets you from {wording.place(legs.origin)} to it "
            f"by {wording.clock(event.start)}",
        )
    if legs.trip_from is None or legs.trip_from.reachable:
        return None
    ride = where.travel.last_ride(legs.trip_from, event.end)
    back = "home" if legs.destination == "home" else f"to {wording.place(legs.destination)}"
    last = wording.last_ride(ride) if ride is not None else "nothing runs"
    return Verdict(
        Reason.LATEST_RETURN if legs.destination == "home" else Reason.TRAVEL,
        f"{last}, and it ends at {wording.clock(event.end)}: nothing gets you {back} "
        "after it before the morning",
        f"fits if you left by {wording.clock(ride.depart)} for that ride" if ride else "",
    )


def check_past(event: Event, legs: Legs, now: datetime) -> Verdict | None:
    """An event that has started, or that you would have had to leave for already, cannot
    be proposed any more: proposing it would also record it in the history as planned."""
    if event.end <= now:
        return Verdict(Reason.PAST, f"it is over: it ended at {wording.moment(event.end)}")
    if event.start < now:
        return Verdict(Reason.PAST, f"it has started: it began at {wording.moment(event.start)}")
    if legs.trip_to is not None and legs.leave_at < now:
        return Verdict(
            Reason.PAST,
            f"it is too late to go: you would have had to leave {wording.place(legs.origin)} "
            f"at {wording.moment(legs.leave_at)}",
        )
    return None


def under_way(week: datetime, now: datetime | None) -> datetime | None:
    """``now`` when it falls in the week starting ``week`` (the week under way), else None:
    a week ahead has nothing over yet, and a week gone by is a look back, not a plan."""
    if now is None or not week <= now < week + timedelta(days=7):
        return None
    return now


def month_of(event: Event) -> tuple[int, int]:
    return (event.start.year, event.start.month)


def limits_for(settings: Settings, history: Iterable[Event] = ()) -> Limits:
    """The rules as solver limits, with what other weeks of the month already used.

    ``history`` is what the user chose or attended in other weeks: it counts
    toward monthly category quotas and the monthly money budget.
    """
    counts: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    spent: dict[tuple[int, int], float] = defaultdict(float)
    for event in history:
        counts[(event.category, month_of(event))] += 1
        spent[month_of(event)] += cost_to_user(event, settings)
    weekly, monthly, minimums = {}, {}, {}
    for name, rule in settings.categories.items():
        if rule.max_per_week is not None:
            weekly[name] = rule.max_per_week
        if rule.max_per_month is not None:
            monthly[name] = rule.max_per_month
        if rule.min_per_week:
            minimums[name] = rule.min_per_week
    return Limits(
        minutes=settings.weekly_minutes,
        events=settings.max_events_per_week,
        per_day=settings.max_events_per_day,
        evenings=settings.max_evenings_out,
        money=settings.monthly_money,
        per_category=weekly,
        per_category_month=monthly,
        history_count=dict(counts),
        money_spent=dict(spent),
        minimums=minimums,
    )


def plan_week(
    commitments: Iterable[Event],
    candidates: Iterable[Event],
    settings: Settings,
    week_day: date,
    choices: Choices | None = None,
    *,
    time_limit: float = 10.0,
    travel: TravelService | None = None,
    history: Sequence[Event] = (),
    now: datetime | None = None,
) -> Plan:
    """Propose the best set of candidates for the week holding ``week_day``.

    ``travel`` answers every trip (known trips, router, estimate); by default
    one is made from ``settings``. ``history`` holds the events chosen or
    attended in other weeks, which count toward monthly quotas and money.
    ``now`` (default: the clock) leaves out, in the week under way, the events
    already started, unless ``history`` holds them as planned this week (planned while
    ahead) or the user committed to them: those stay as they are.
    """
    choices = choices or Choices()
    week = week_of(week_day, settings)
    current = under_way(week, now if now is not None else datetime.now(settings.zone))
    commitments = sorted(commitments, key=lambda e: e.start)
    where = Whereabouts(commitments, settings, travel)
    limits = limits_for(
        settings, [e for e in history if not week <= e.start < week + timedelta(days=7)]
    )
    # Planned while it was ahead (recorded this week): what is over of it stays in the plan.
    planned = {e.key for e in history if week <= e.start < week + timedelta(days=7)}

    def between(a: Event, b: Event) -> int:
        if a.place.virtual or b.place.virtual:
            return 0
        trip = where.trip(a.place, b.place, depart=a.end)
        return trip.minutes if trip.reachable else UNREACHABLE_MINUTES

    verdicts: dict[int, Verdict] = {}
    legs_of: dict[int, Legs] = {}
    options: list[Option] = []
    events = sorted(candidates, key=lambda e: (e.start, e.summary))
    slot_of: dict[int, FlexibleBlock] = {}
    for flexible_block, slot in flexible_slots(settings, week, where):
        slot_of[len(events)] = flexible_block
        events.append(slot)
    fits_on: dict[str, dict[date, int]] = defaultdict(dict)
    misses: dict[str, list[Verdict]] = defaultdict(list)
    for i, event in enumerate(events):
        legs = legs_of[i] = where.legs(event)
        block = slot_of.get(i)
        if block is not None:
            verdict = check_alone(event, legs, where, settings, week, limits, current)
            if verdict is not None:
                misses[block.name].append(verdict)
                continue
            fits_on[block.name][event.start.date()] = 1
            charged, travel_min = _charged(event, legs, settings)
            value = block.stars * settings.category(block.category).weight
            options.append(
                Option(
                    index=i,
                    event=event,
                    value=value,
                    charged_minutes=charged,
                    travel_minutes=travel_min,
                    cost=0.0,
                    day=event.start.date(),
                    evening=False,
                    category=block.category,
                    month=month_of(event),
                    flexible=block,
                )
            )
            continue
        pinned = event.key in choices.pinned
        verdict = None
        if event.key in choices.refused:
            verdict = Verdict(Reason.REFUSED, "you refused it")
        else:  # a commitment that is over stays as the user decided it
            verdict = check_alone(
                event,
                legs,
                where,
                settings,
                week,
                limits,
                None if pinned or event.key in planned else current,
            )
        value = value_of(event, settings, choices)
        if verdict is not None and not pinned:
            verdicts[i] = verdict
            continue
        if verdict is not None:  # the user's decision wins; the clash is reported
            verdicts[i] = Verdict(
                Reason.PINNED,
                f"you committed to it, {wording.although(verdict.text)}",
                breaks=verdict.text,
            )
        if value <= 0 and not pinned:
            verdicts[i] = Verdict(Reason.NO_VALUE, "you gave it no stars")
            continue
        charged, travel_min = _charged(event, legs, settings)
        options.append(
            Option(
                index=i,
                event=event,
                value=value,
                charged_minutes=charged,
                travel_minutes=travel_min,
                cost=cost_to_user(event, settings),
                day=event.start.date(),
                evening=_is_evening(event, settings),
                category=event.category,
                pinned=pinned,
                month=month_of(event),
            )
        )

    longest = where.travel.longest([o.event.place for o in options])
    horizon = MAX_GAP_CHECK if longest is None else timedelta(minutes=longest + 1)
    solution = solve(options, limits, between, time_limit=time_limit, horizon=horizon)
    chosen = [o for o in options if o.index in solution.chosen]
    conflicts, rules = Conflicts(between, horizon), weekly_rules(limits)
    for o in options:
        if o.index not in solution.chosen and o.counts_as_event:
            verdicts[o.index] = explain_left_out(o, chosen, conflicts, rules)

    trips = _chain(chosen, legs_of, where)
    chosen_by_index = {o.index: o for o in chosen}
    decisions = []
    used = travel_used = committed = 0
    for i, event in enumerate(events):
        value = value_of(event, settings, choices)
        opt = chosen_by_index.get(i)
        if i in slot_of:
            if opt is None:
                continue  # an unused slot is no candidate: the block's summary speaks for it
            value = opt.value
            done = sum(1 for c in chosen if c.flexible == opt.flexible)
            verdicts[i] = Verdict(
                Reason.CHOSEN,
                f"placed in free time ({done} of {slot_of[i].times_per_week} this week)",
            )
        if opt is None:
            legs = legs_of[i]
            decisions.append(
                _decision(
                    event, False, verdicts[i], value, legs, _charged(event, legs, settings)[0]
                )
            )
            continue
        legs = trips[i]
        # A leg chained to the next chosen event is charged once, to that event.
        onward = legs.goes_to is not None and legs.goes_to.key in {c.event.key for c in chosen}
        trip_minutes = (legs.trip_to.minutes if legs.trip_to else 0) + (
            legs.trip_from.minutes if legs.trip_from and not onward else 0
        )
        charged = round(event.duration.total_seconds() / 60) + (
            trip_minutes if settings.counts_travel else 0
        )
        used += charged
        travel_used += trip_minutes
        committed += charged if opt.pinned else 0
        verdict = verdicts.get(i) or Verdict(
            Reason.PINNED if opt.pinned else Reason.CHOSEN,
            _chosen_text(legs, opt.pinned, event, settings),
        )
        decisions.append(_decision(event, True, verdict, value, legs, charged))

    evenings = {o.day for o in chosen if o.evening}
    where.travel.keep()  # the timetable answers found, for the next run
    protected = tuple(
        (week + timedelta(days=d), week + timedelta(days=d + 1))
        for d in (5, 6)
        if settings.protect_weekends
    ) + tuple((start, end) for start, end, _ in protected_times(settings, week))
    return Plan(
        week_start=week,
        timezone=settings.timezone,
        commitments=tuple(
            c for c in commitments if c.end > week and c.start < week + timedelta(days=7)
        ),
        decisions=tuple(decisions),
        optimal=solution.optimal,
        total_value=sum(o.value for o in chosen),
        budget=BudgetUse(
            limit_minutes=settings.weekly_minutes,
            used_minutes=used,
            travel_minutes=travel_used,
            events=sum(1 for o in chosen if o.counts_as_event),
            max_events=settings.max_events_per_week,
            evenings=len(evenings),
            max_evenings=settings.max_evenings_out,
            money=sum(o.cost for o in chosen),
            money_limit=settings.monthly_money,
            committed_minutes=committed,
        ),
        solve_seconds=solution.seconds,
        protected=protected,
        targets=_targets(limits, decisions),
        flexible=_flexible_results(settings, chosen, fits_on, misses, used),
        problems=tuple(where.travel.routing_problems()),
    )


def flexible_slots(
    settings: Settings, week: datetime, where: Whereabouts
) -> list[tuple[FlexibleBlock, Event]]:
    """Every start, every half hour, at which each flexible block could be placed."""
    out = []
    for block in settings.flexible:
        place = Place(name=block.name, virtual=True)
        if block.place:
            saved = next(
                (p.place for p in settings.places if p.place.name.lower() == block.place.lower()),
                None,
            )
            place = where.home if block.place.lower() == "home" else saved or Place(block.place)
        length = timedelta(minutes=block.minutes)
        for day in block.days:
            date_ = (week + timedelta(days=day)).date()
            start = datetime.combine(date_, block.start, week.tzinfo)
            last = datetime.combine(date_, block.end, week.tzinfo) - length
            while start <= last:
                out.append(
                    (
                        block,
                        Event(
                            uid=flexible_uid(block.name, start),
                            summary=block.name,
                            start=start,
                            end=start + length,
                            place=place,
                            categories=(block.category,) if block.category else (),
                        ),
                    )
                )
                start += SLOT_STEP
    return out


SLOT_STEP = timedelta(minutes=30)


def _flexible_results(
    settings: Settings,
    chosen: list[Option],
    fits_on: dict[str, dict[date, int]],
    misses: dict[str, list[Verdict]],
    used: int,
) -> tuple[FlexibleResult, ...]:
    out = []
    for block in settings.flexible:
        placed = sum(1 for o in chosen if o.flexible == block)
        window = (
            f"{wording.clock(datetime.combine(date.min, block.start))}-"
            f"{wording.clock(datetime.combine(date.min, block.end))}"
        )
        if placed >= block.times_per_week:
            text = f"placed {placed} of {block.times_per_week}"
        elif len(fits_on[block.name]) < block.times_per_week:
            why: dict[str, int] = defaultdict(int)
            for verdict in misses[block.name]:
                why[verdict.text] += 1
            common = max(why, key=lambda t: why[t]) if why else ""
            text = (
                f"placed {placed} of {block.times_per_week}: only "
                f"{len(fits_on[block.name])} of your chosen days have {block.minutes} min "
                f"free in {window}" + (f" (mostly: {common})" if common else "")
            )
        elif used + block.minutes > settings.weekly_minutes:
            text = (
                f"placed {placed} of {block.times_per_week}: the rest would go over your "
                f"{wording.minutes(settings.weekly_minutes)} week"
            )
        else:
            text = f"placed {placed} of {block.times_per_week}: better-valued events use the time"
        out.append(FlexibleResult(block.name, block.times_per_week, placed, text))
    return tuple(out)


# How a reason reads when counting several events ("3 clash with commitments").
_MANY = {
    Reason.CONFLICT: "clash with your commitments",
    Reason.TRAVEL: "leave no time to get there",
    Reason.PROTECTED: "fall in protected time",
    Reason.LATEST_RETURN: "would get you home too late",
    Reason.EARLIEST_LEAVE: "would need you to leave too early",
    Reason.BUDGET: "do not fit the time budget",
    Reason.MONEY: "do not fit the money budget",
    Reason.QUOTA: "are over a quota",
    Reason.CANCELLED: "are cancelled",
    Reason.REFUSED: "you refused",
    Reason.LOWER_VALUE: "lose to better events",
    Reason.PAST: "are over or under way",
}


def _targets(limits: Limits, decisions: list[Decision]) -> tuple[Target, ...]:
    """Each minimum, met or not, and in words why not."""
    out = []
    for category, minimum in sorted(limits.minimums.items()):
        mine = [d for d in decisions if d.event.category == category]
        chosen = [d for d in mine if d.chosen]
        if len(chosen) >= minimum:
            names = ", ".join(d.event.summary for d in chosen)
            text = f"met: {names}"
        elif not mine:
            text = f"not met: there is no {category} event this week"
        else:
            counts: dict[Reason, int] = defaultdict(int)
            for d in mine:
                if not d.chosen:
                    counts[d.reason] += 1
            parts = [
                f"{n} {_MANY.get(r, r.value)}"
                for r, n in sorted(counts.items(), key=lambda kv: -kv[1])
            ]
            text = f"not met: of the {len(mine)} {category} events this week, " + ", ".join(parts)
        out.append(Target(category, minimum, len(chosen), text))
    return tuple(out)


def _chosen_text(legs: Legs, pinned: bool, event: Event, settings: Settings) -> str:
    head = "you committed to it" if pinned else "fits"
    if legs.trip_to is None:
        return f"{head}: online, no travel"
    if legs.late:
        arrive = event.start + timedelta(minutes=legs.late)
        head += (
            f": you would arrive at {wording.clock(arrive)}, {legs.late} min late "
            f"({late_allowance(event, settings)})"
        )
    ride = wording.first_ride(legs.trip_to.legs)
    for_ride = f" for {ride}" if ride else ""
    return (
        f"{head}: leave {wording.place(legs.origin)} at {wording.clock(legs.leave_at)}"
        f"{for_ride} ({legs.trip_to.label}), {_arrival(legs)} by {wording.clock(legs.back_at)}"
    )


def late_allowance(event: Event, settings: Settings) -> str:
    """``"you allow 10 min for mixer events"``: the rule that makes arriving late fine."""
    allowed = settings.late_allowed(event.category)
    own = event.category and settings.category(event.category).late_minutes is not None
    return f"you allow {allowed} min" + (f" for {event.category} events" if own else " late")


def _arrival(legs: Legs) -> str:
    return "home" if legs.destination == "home" else f"at {wording.place(legs.destination)}"


def _decision(
    event: Event, chosen: bool, verdict: Verdict, value: float, legs: Legs, charged: int
) -> Decision:
    return Decision(
        event=event,
        chosen=chosen,
        reason=verdict.reason,
        explanation=verdict.text,
        value=value,
        trip_to=legs.trip_to,
        trip_from=legs.trip_from,
        leave_at=legs.leave_at,
        back_at=legs.back_at,
        charged_minutes=charged,
        what_if=verdict.what_if,
        origin=legs.origin,
        destination=legs.destination,
        breaks=verdict.breaks,
    )


def _chain(chosen: list[Option], legs_of: dict[int, Legs], where: Whereabouts) -> dict[int, Legs]:
    """Link chosen events of one evening when going straight on beats going home."""
    trips = {o.index: legs_of[o.index] for o in chosen}
    by_day: dict[date, list[Option]] = defaultdict(list)
    for o in chosen:
        if not o.event.place.virtual:
            by_day[o.day].append(o)
    for items in by_day.values():
        items.sort(key=lambda o: o.event.start)
        for a, b in itertools.pairwise(items):
            la, lb = trips[a.index], trips[b.index]
            direct: Trip = where.trip(a.event.place, b.event.place, depart=a.event.end)
            via_home = (la.trip_from.minutes if la.trip_from else 0) + (
                where.trip(where.home, b.event.place, arrive=b.event.start).minutes
            )
            gap = b.event.start - a.event.end
            if gap < timedelta(minutes=via_home) + HOME_SLACK:
                trips[a.index] = Legs(
                    la.trip_to,
                    direct,
                    la.origin,
                    b.event.summary,
                    la.leave_at,
                    a.event.end + timedelta(minutes=direct.minutes),
                    la.came_from,
                    b.event,
                    la.late,
                )
                trips[b.index] = Legs(
                    direct,
                    lb.trip_from,
                    a.event.summary,
                    lb.destination,
                    a.event.end,
                    lb.back_at,
                    a.event,
                    lb.goes_to,
                )
    return trips
