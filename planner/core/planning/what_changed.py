"""What a decision changed in a week's plan, in one sentence led by its cause.

Committing to one event can push another out of the week without a word: the
week's hours are used up, or the two overlap. :func:`compare` lays the plan before
a decision beside the plan after it (events newly proposed, newly left out, and
those that only moved: a flexible block placed on another day, or a recurring
event proposed on another of its days), and :func:`sentence` says it, led by the
cause and naming the rule that pushed each event out: "Because you committed to
Whitby Chamber of Commerce: HDI Toronto Local Chapter left out (over your 6 h);
Durham Tech Virtual Coffee Hour moved Tue → Fri". The window shows that line with
Undo; ``planner commit`` and the other deciding commands print the same comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from planner.core.model import FLEXIBLE_UID_PREFIX, Decision, Plan, Reason, is_flexible
from planner.core.text import wording

SHOWN = 3
"""How many changes a sentence names before it says "and N more"."""
TITLE_LENGTH = 32
"""The longest title a sentence names in full (then it is cut at a word, with "…")."""


@dataclass(frozen=True, slots=True)
class PlanChanges:
    """The differences between two plans of one week.

    ``proposed`` and ``left_out`` hold each event as the later plan decided it (with its
    reason); an event proposed before and missing from the later plan altogether (its
    calendar removed) is in ``left_out`` as the earlier plan had it. ``moved`` pairs an
    occurrence proposed before with the one of the same series proposed instead.
    """

    proposed: tuple[Decision, ...] = ()
    left_out: tuple[Decision, ...] = ()
    moved: tuple[tuple[Decision, Decision], ...] = ()
    gone: frozenset[str] = frozenset()
    """Keys among ``left_out`` that the later plan does not hold at all."""

    @property
    def keys(self) -> frozenset[str]:
        """Every key of the later plan that changed (what the window highlights)."""
        moved = {after.event.key for _before, after in self.moved}
        changed = {d.event.key for d in (*self.proposed, *self.left_out)} | moved
        return frozenset(changed - self.gone)

    def __bool__(self) -> bool:
        return bool(self.proposed or self.left_out or self.moved)

    def without(self, key: str) -> PlanChanges:
        """The changes other than those to the event ``key`` (the one decided on, which
        the cause already names); a move from or to it is the other day's change alone."""
        moved = [m for m in self.moved if key not in (m[0].event.key, m[1].event.key)]
        proposed = [after for before, after in self.moved if before.event.key == key]
        left_out = [before for before, after in self.moved if after.event.key == key]
        return PlanChanges(
            tuple(d for d in (*self.proposed, *proposed) if d.event.key != key),
            tuple(d for d in (*self.left_out, *left_out) if d.event.key != key),
            tuple(moved),
            self.gone - {key},
        )


def series(decision: Decision) -> str:
    """What the occurrences of one thing share: a flexible block's name, a recurring
    event's uid; "" for a one-off event (it cannot move)."""
    event = decision.event
    if is_flexible(event):
        named = re.match(r"(.*):\d{4}-\d\d-\d\dT", event.uid[len(FLEXIBLE_UID_PREFIX) :])
        return f"{FLEXIBLE_UID_PREFIX}{named.group(1) if named else event.summary}"
    return event.uid if event.recurrence_id else ""


def compare(before: Plan | None, after: Plan | None) -> PlanChanges:
    """What ``after`` proposes differently from ``before`` (None: no plan, nothing
    proposed). Plans of different weeks are not compared: nothing changed."""
    if after is None:
        return PlanChanges()
    if before is not None and before.week_start != after.week_start:
        return PlanChanges()
    was_chosen = {d.event.key: d for d in before.chosen} if before is not None else {}
    now = {d.event.key: d for d in after.decisions}
    proposed = [d for d in after.chosen if d.event.key not in was_chosen]
    dropped = [d for k, d in was_chosen.items() if k not in now or not now[k].chosen]
    moved: list[tuple[Decision, Decision]] = []
    for old in sorted(dropped, key=lambda d: d.event.start):
        name = series(old)
        new = next((d for d in proposed if name and series(d) == name), None)
        if new is not None:
            moved.append((old, new))
            proposed.remove(new)
    paired = {old.event.key for old, _new in moved}
    left_out = tuple(now.get(d.event.key, d) for d in dropped if d.event.key not in paired)
    gone = frozenset(d.event.key for d in left_out if d.event.key not in now)
    return PlanChanges(tuple(proposed), left_out, tuple(moved), gone)


def short_title(title: str, length: int = TITLE_LENGTH) -> str:
    """A title short enough for a sentence: without a parenthesis and, when still too
    long, before a colon or a dash if what comes first says enough (three words), else
    cut at a word ("HDI Toronto Local Chapter", "Durham Tech: Lightning Talks…")."""
    text = re.sub(r"\s*\([^)]*\)", "", title).strip() or title.strip()
    for mark in (":", " – ", " — ", " - "):
        head = text.split(mark, 1)[0].strip()
        if len(text) > length and head != text and len(head.split()) >= 3:
            text = head
            break
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] if " " in text[: length - 1] else text[: length - 1]
    return cut.rstrip(" ,;:–-&") + "…"


def rule_in_words(decision: Decision, plan: Plan) -> str:
    """The rule that keeps ``decision`` out of ``plan``, in a few words ("over your 6 h",
    "clashes with Whitby Chamber of Commerce")."""
    b = plan.budget
    reason, text = decision.reason, decision.explanation
    if reason is Reason.BUDGET:
        return f"over your {wording.minutes(b.limit_minutes)}"
    if reason is Reason.EVENINGS:
        return f"over your {b.max_evenings} evening{'s' if b.max_evenings != 1 else ''} out"
    if reason is Reason.MAX_EVENTS:
        return f"over your {b.max_events} event{'s' if b.max_events != 1 else ''} a week"
    if reason is Reason.MONEY:
        return "over your money for tickets"
    if reason is Reason.REFUSED:
        return "you refused it"
    if reason is Reason.NO_VALUE:
        return "not interested"
    clash = re.match(r"clashes with (.+?) \(\w{3} \d", text)
    if reason is Reason.CONFLICT and clash:
        return f"clashes with {short_title(clash.group(1))}"
    better = re.match(r"fits, but (.+?) \(\w{3}\) is worth more", text)
    if reason is Reason.LOWER_VALUE and better:
        return f"{short_title(better.group(1))} is worth more"
    return re.split(r" \(|; ", text, maxsplit=1)[0]


def _when(before: Decision, after: Decision) -> str:
    """ "Tue → Fri"; on the same day, the times ("Tue 07:00 → 19:00")."""
    old, new = before.event.start, after.event.start
    if old.date() == new.date():
        return f"{wording.day(old)} {wording.clock(old)} → {wording.clock(new)}"
    return f"{wording.day(old)} → {wording.day(new)}"


def parts(changes: PlanChanges, plan: Plan) -> list[str]:
    """Each change as a phrase, what was lost first: left out, moved, then proposed."""
    said = [
        f"{_named(d)} "
        + (
            "no longer among your candidates"
            if d.event.key in changes.gone
            else f"left out ({rule_in_words(d, plan)})"
        )
        for d in changes.left_out
    ]
    said += [f"{short_title(b.event.summary)} moved {_when(b, a)}" for b, a in changes.moved]
    said += [f"{_named(d)} proposed" for d in changes.proposed]
    return said


def _named(decision: Decision) -> str:
    """Its short title, with its day when it is one of several (a recurring event)."""
    title = short_title(decision.event.summary)
    return f"{title} ({wording.day(decision.event.start)})" if series(decision) else title


def sentence(changes: PlanChanges, plan: Plan, cause: str = "", shown: int = SHOWN) -> str:
    """One sentence on ``changes`` (in ``plan``, the plan after), led by ``cause`` ("you
    committed to Whitby Chamber"); past ``shown`` changes the rest are counted."""
    said = parts(changes, plan)
    if not said:
        return f"{_capital(cause)}; nothing else changed." if cause else "Nothing else changed."
    listed = "; ".join(said[:shown])
    if len(said) > shown:
        listed += f"; and {len(said) - shown} more"
    return f"Because {cause}: {listed}." if cause else f"{_capital(listed)}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def titles(plans: Iterable[Plan | None]) -> dict[str, str]:
    """Each candidate's title by key, from ``plans`` (to name what a decision was about)."""
    return {d.event.key: d.event.summary for p in plans if p is not None for d in p.decisions}
