"""Prices written in words: "$25", "25 €", "CAD 150", "Tickets: 25", "free", "gratuit".

One reader for every price planner meets: a line typed in quick add
(:mod:`.quick_add.shapes`), a price typed in a cell (:func:`read_cost_text`),
and a calendar event's description (:func:`stated_price`: "Members free, guests
$20" is $20 for a non-member, marked as assumed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DASH = r"\-‐‑‒–—"
"""Hyphen and the dashes people type between times, days and prices ("6–8pm")."""

_CODES = r"CAD|USD|EUR|GBP|CHF|AUD|MXN"
"""Currency codes written before or after an amount ("CAD 150", "150 USD")."""
_CURRENCY_BEFORE = rf"(?:CA\$|C\$|US\$|AU\$|A\$|\$|€|£|(?:{_CODES})\b)"
_CURRENCY_AFTER = (
    rf"(?:\$|€|£|(?:{_CODES}|(?:canadian\s+|american\s+|us\s+)?dollars?|dólares|dolares"
    r"|euros?|pesos|bucks)\b)"
)
_AMOUNT = r"(?:\d{1,3}(?:[,.\u202f]\d{3})+|\d{1,5})(?:[.,]\d{1,2})?(?![\d,.]\d)"
"""An amount: "150", "15,50", "12.50", "1,200", "1.200,50" (a separator before three
digits groups thousands; before one or two it is the decimal point, whatever the locale)."""
_AMOUNT_BEFORE_CURRENCY = _AMOUNT.replace(r"\u202f", r"\u202f ")
"""Before a currency a space groups thousands too, as French writes "1 200 €"."""
_LABEL = (
    r"\b(?:cost|price|tickets?|admission|fee|entry|prix|tarif|entrée|precio|entrada|eintritt"
    r"|preis|kosten)\s*:?\s*"
)
_NOT_A_CLOCK = r"(?!\s*(?:[ap]\.?m\b|h\b|uhr\b|[:h]\d))"
COST = re.compile(
    rf"(?P<label>{_LABEL})?"
    r"(?:"
    rf"(?<![\w$])(?P<cur>{_CURRENCY_BEFORE})\s?(?P<a1>{_AMOUNT})"
    rf"(?:\s?[{DASH}]\s?{_CURRENCY_BEFORE}?\s?(?P<a2>{_AMOUNT}))?"
    rf"|(?<![\w.,:/$€£])(?P<a3>{_AMOUNT_BEFORE_CURRENCY})"
    rf"(?:\s?[{DASH}]\s?(?P<a4>{_AMOUNT}))?"
    rf"\s?{_CURRENCY_AFTER}"
    r"|(?P<free>(?<![\w-])(?:free(?:\s+(?:entry|admission|event|of\s+charge|tickets?))?"
    r"(?=\s*(?:$|[^\w\s]|\x00|(?:for|to)\s+(?:all|members|attend|everyone)\b))"
    r"|no\s+cost|gratuit(?:e|s)?|entrée\s+(?:libre|gratuite)|gratis|entrada\s+(?:libre|gratuita)"
    r"|kostenlos|eintritt\s+frei|freier\s+eintritt|umsonst)\b)"
    rf"|(?<=[:\s])(?<![\w.,:/])(?P<a5>{_AMOUNT}){_NOT_A_CLOCK}(?![\w/+%-])"
    r")",
    re.IGNORECASE,
)
"""A price in any of the usual notations: "$25", "25$", "25 €", "€25", "CAD 150",
"150 USD", "150 dollars", "15,50 €", "$1,200", "$20-30", "free", "gratuit", "Eintritt frei";
a bare number only after a label ("Tickets: 25"), and not an age ("Admission 19+")."""


def number(text: str) -> float:
    """ "1,200" -> 1200, "1.200,50" -> 1200.5, "15,50" -> 15.5, "12.50" -> 12.5."""
    whole, separator, decimals = text, "", ""
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and len(text) - last - 1 in (1, 2):
        whole, separator, decimals = text[:last], ".", text[last + 1 :]
    digits = re.sub(r"[,.\u202f ]", "", whole)
    return float(digits + separator + decimals)


def money_text(amount: float) -> str:
    """ "$25", "$12.50", "free": how a price reads in the notes and the preview."""
    if amount == 0:
        return "free"
    return f"${amount:.0f}" if amount == int(amount) else f"${amount:.2f}"


def read_cost_text(text: str) -> float | None:
    """A price typed in a cell: "free" -> 0, "$25" or "25" -> 25, "" -> None (unknown).

    Raises ValueError for anything else, so an editor can refuse it.
    """
    text = text.strip()
    if not text:
        return None
    match = COST.fullmatch(text)
    if match:
        return _amount(match)
    bare = re.fullmatch(rf"({_AMOUNT})", text)
    if bare:
        return number(bare.group(1))
    raise ValueError(f"“{text}” is not a price")


@dataclass(frozen=True, slots=True)
class Stated:
    """The price a description states for the user, and what was assumed to pick it."""

    amount: float
    assumed: str = ""
    """Why this one of several prices ("the guest price: members free"), "" when only one
    price is stated."""


_REDUCED = re.compile(
    r"\b(?:members?|membres?|miembros?|mitglieder|students?|étudiants?|estudiantes?"
    r"|early[\s-]?birds?|seniors?|volunteers?|bénévoles?|kids?|children|youth|alumni"
    r"|speakers?|sponsors?|presale|pre-sale|advance)\b",
    re.IGNORECASE,
)
"""Words that make a price someone else's: a member's, a student's, the early bird's."""
_GENERAL = re.compile(
    r"\b(?:guests?|invités?|non[\s-]?members?|non[\s-]?membres?|general|regular|public"
    r"|everyone|standard|door|invitados?|gäste)\b",
    re.IGNORECASE,
)
"""Words that make a price the one anyone pays: a guest's, the general admission."""
_CLAUSE = re.compile(r"[,;.\n|/()]")
_NOT_A_TICKET = re.compile(
    r"\b(?:raised?|prizes?|worth|funding|grants?|salar(?:y|ies)|revenue|valued|invest\w*"
    r"|million|billion|budget)\b",
    re.IGNORECASE,
)
"""Words that make an amount something other than a ticket ("we raised $5,000")."""


def stated_price(text: str) -> Stated | None:
    """The ticket price a description states for a non-member, None when none is stated.

    "Tickets $15", "$25 at the door", "Cost: 10 CAD", "free" read as themselves; with
    several ("Members free, guests $20"; "Early bird $10, regular $15") the general or
    guest price is taken, else the first not marked as someone else's, and the choice
    is said in ``assumed``. A bare number counts only after a label ("Tickets: 25"),
    and each line is read on its own ("Cost: Free" ends at its line).
    """
    found: list[_Found] = []
    for line in text.splitlines():
        here = [m for m in COST.finditer(line) if not (m.group("a5") and not m.group("label"))]
        for m in here:
            words = _around(line, m, here)
            if not _NOT_A_TICKET.search(words):
                found.append(_Found(_amount(m), _kind(words), _named(words)))
    if not found:
        return None
    if len(found) == 1:
        return Stated(found[0].amount)
    pick = next(
        (f for f in found if f.kind == "general"),
        next((f for f in found if f.kind == ""), found[0]),
    )
    others = ", ".join(f"{f.who} {money_text(f.amount)}".strip() for f in found if f is not pick)
    who = pick.who.removesuffix("s") or "general"
    return Stated(pick.amount, f"the {who} price of several ({others})")


@dataclass(frozen=True, slots=True)
class _Found:
    amount: float
    kind: str
    """"general" (a guest's, the door's), "reduced" (a member's, early bird), or ""."""
    who: str
    """The word saying whose price it is ("members", "guests"), or ""."""


def _amount(match: re.Match[str]) -> float:
    if match.group("free"):
        return 0.0
    return number(match.group("a1") or match.group("a3") or match.group("a5"))


def _around(line: str, match: re.Match[str], found: list[re.Match[str]]) -> str:
    """The words of a price's own clause: from the last comma before it to the next after,
    never into another price."""
    i = found.index(match)
    low = found[i - 1].end() if i else 0
    high = found[i + 1].start() if i + 1 < len(found) else len(line)
    before = _CLAUSE.split(line[low : match.start()])[-1]
    after = _CLAUSE.split(line[match.end() : high])[0]
    return f"{before} {match.group('label') or ''} {after}"


def _kind(words: str) -> str:
    if _GENERAL.search(words):
        return "general"
    return "reduced" if _REDUCED.search(words) else ""


def _named(words: str) -> str:
    named = _GENERAL.search(words) or _REDUCED.search(words)
    return named.group(0).lower() if named else ""


def price_assumed(description: str, cost: float | None) -> str:
    """What was assumed to read ``cost`` from ``description`` ("the guest price of several
    (members free)"), "" when it was stated once or came from elsewhere."""
    stated = stated_price(description) if cost is not None and description else None
    return stated.assumed if stated is not None and stated.amount == cost else ""
