"""An exact search for small choices, in pure Python: no solver to import.

Most weeks bring a handful of options to the optimiser (the demo week: six).
Importing OR-Tools costs more than solving them (about 0.15-0.3 s, on the
window's first plan and on every ``planner plan``), so :func:`search` tries a
depth-first branch and bound over the very model CP-SAT would be given: the
same at-most-one groups (:meth:`rules.Conflicts.groups`), the same weekly rules
(:meth:`rules.Rule.keeps`, which counts as :meth:`rules.Rule.add_to` states),
the same targets and the same lexicographic objective. It proves its answer
optimal by exhausting the tree, or gives up after ``max_nodes`` and returns
None, and the caller asks CP-SAT instead: it never returns a guess.
``tests/core/test_search_properties.py`` checks it against CP-SAT.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core.planning.options import Limits, Option
from planner.core.planning.rules import Rule

MAX_NODES = 20_000
"""Steps (options tried at a node, and nodes) before giving up: about 20-60 ms in pure
Python, a fraction of what importing CP-SAT costs."""


@dataclass(frozen=True, slots=True)
class Objective:
    """The objective as CP-SAT folds it: targets met, then value, then less tie-break."""

    targets: int
    value: int
    tiebreak: int


def targets_of(options: Sequence[Option], limits: Limits) -> dict[str, int]:
    """Each target the free options can still meet, with how many of them it needs
    (those met by pinned events alone, or out of reach by count, do not weigh)."""
    out = {}
    for category, minimum in limits.minimums.items():
        members = [o for o in options if o.counts_as_event and o.category == category]
        needed = minimum - sum(1 for o in members if o.pinned)
        if needed > 0 and sum(1 for o in members if not o.pinned) >= needed:
            out[category] = needed
    return out


def objective(chosen: Sequence[Option], options: Sequence[Option], limits: Limits) -> Objective:
    """What the optimiser maximises, for a chosen set (pinned options included or not)."""
    free = [o for o in chosen if not o.pinned]
    met = 0
    for category, needed in targets_of(options, limits).items():
        if sum(1 for o in free if o.counts_as_event and o.category == category) >= needed:
            met += 1
    return Objective(met, sum(o.score for o in free), sum(o.tiebreak for o in free))


def search(
    options: Sequence[Option],
    limits: Limits,
    groups: Sequence[Sequence[int]],
    forced_out: set[int],
    rules: Sequence[Rule],
    *,
    max_nodes: int = MAX_NODES,
) -> frozenset[int] | None:
    """The optimal set (pinned options included), or None when the tree is too big."""
    pinned = [o for o in options if o.pinned]
    big = sum(o.tiebreak for o in options if not o.pinned) + 1

    def weight(o: Option) -> int:
        return o.score * big - o.tiebreak

    free = sorted(
        (o for o in options if not o.pinned and o.index not in forced_out),
        key=lambda o: (-weight(o), o.index),
    )
    weights = [weight(o) for o in free]
    clashes: dict[int, set[int]] = defaultdict(set)
    for group in groups:
        for i in group:
            clashes[i].update(j for j in group if j != i)
    targets = targets_of(options, limits)
    target_weight = sum(o.score * big for o in options if not o.pinned) + 1
    events_room = (
        None
        if limits.events is None
        else max(0, limits.events - sum(1 for o in pinned if o.counts_as_event))
    )
    # Suffix tables, so that a node's bound costs a few look-ups, not a pass over the rest.
    n = len(free)
    positive = [max(0, w) for w in weights]
    event_at = [k for k in range(n) if free[k].counts_as_event]
    event_sums = [0]  # event_sums[j]: the first j events' positive weights
    for k in event_at:
        event_sums.append(event_sums[-1] + positive[k])
    others_after = [0] * (n + 1)  # positive weights of the options that are no event
    for k in range(n - 1, -1, -1):
        others_after[k] = others_after[k + 1] + (0 if free[k].counts_as_event else positive[k])
    members_after = {c: [0] * (n + 1) for c in targets}
    for c, after in members_after.items():
        for k in range(n - 1, -1, -1):
            member = free[k].counts_as_event and free[k].category == c
            after[k] = after[k + 1] + member

    def bound(start: int, counts: dict[str, int], events: int) -> int:
        """No set extending the current one, from ``free[start:]`` on, is worth more."""
        reachable = sum(
            1
            for c, needed in targets.items()
            if counts.get(c, 0) + members_after[c][start] >= needed
        )
        first = bisect.bisect_left(event_at, start)
        last = (
            len(event_at)
            if events_room is None
            else min(len(event_at), first + max(0, events_room - events))
        )
        value = event_sums[last] - event_sums[first] + others_after[start]
        return target_weight * reachable + value

    best_score, best_set = -1, frozenset[int]()
    chosen: list[Option] = list(pinned)
    taken: set[int] = set()
    nodes = 0

    def score_now(counts: dict[str, int], value: int) -> int:
        met = sum(1 for c, needed in targets.items() if counts.get(c, 0) >= needed)
        return target_weight * met + value

    def visit(start: int, counts: dict[str, int], events: int, value: int) -> bool:
        nonlocal nodes, best_score, best_set
        nodes += 1
        if nodes > max_nodes:
            return False
        now = score_now(counts, value)
        if now > best_score:
            best_score, best_set = now, frozenset(taken)
        if bound(start, counts, events) + value <= best_score:
            return True
        for k in range(start, len(free)):
            nodes += 1  # every option tried counts: a wide node costs as much as a deep one
            if nodes > max_nodes:
                return False
            o = free[k]
            if clashes[o.index] & taken:
                continue
            if not all(rule.keeps(o, chosen) for rule in rules):
                continue
            chosen.append(o)
            taken.add(o.index)
            grown = dict(counts)
            if o.counts_as_event:
                grown[o.category] = grown.get(o.category, 0) + 1
            ok = visit(k + 1, grown, events + o.counts_as_event, value + weights[k])
            chosen.pop()
            taken.discard(o.index)
            if not ok:
                return False
        return True

    if not visit(0, {}, 0, 0):
        return None
    return best_set | {o.index for o in pinned}
