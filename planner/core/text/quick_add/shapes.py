"""The parts of a line that have a shape of their own: links, #categories, prices.

They are read first and masked out because their characters would mislead
the readers after them: the "25" of "$25" would be taken for a day or an
hour, a link's path for a date, and "#tech" would stay in the title.
:func:`read_cost_text` reads a price typed in the preview's cell by the
same rule.
"""

from __future__ import annotations

import re

from planner.core.text.quick_add.line import DASH, Reading

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|ca|org|net|io|ma|co|events|us|fr|es|de)/[^\s<>\"]*",
    re.IGNORECASE,
)
_TAG = re.compile(r"(?<![\w&/])#(?P<tag>[^\W\d_][\w-]*)")
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
_COST = re.compile(
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


def read_url(reading: Reading) -> None:
    """The first link is the event's ("www." gets "https://"); every link is masked."""
    line = reading.line
    for match in _URL.finditer(line.masked):
        url = match.group(0).rstrip(".,;:!?)]»\"'")
        if not reading.url:
            reading.url = url if re.match(r"https?://", url, re.I) else "https://" + url
        line.take("url", match.start(), match.start() + len(url))


def read_tags(reading: Reading) -> None:
    """``#tags`` are the categories, first one first; an unknown first one is noted."""
    line = reading.line
    for match in _TAG.finditer(line.masked):
        tag = match.group("tag").lower()
        if tag not in reading.tags:
            reading.tags.append(tag)
        line.take("category", match.start(), match.end())
    known = reading.settings.categories
    if reading.tags and known and reading.tags[0] not in known:
        names = ", ".join(sorted(known))
        reading.note("category", f"“{reading.tags[0]}” is not one of your categories ({names})")


def read_cost(reading: Reading) -> None:
    """The first price, or the lowest of a range; several prices or a range are noted."""
    line = reading.line
    found: list[tuple[float, float | None, str]] = []
    for match in _COST.finditer(line.masked):
        if match.group("a5") and not match.group("label"):
            continue  # a bare number is a price only after "Tickets:", "Prix", "Eintritt"...
        if match.group("free"):
            found.append((0.0, None, match.group(0).strip()))
        else:
            low = match.group("a1") or match.group("a3") or match.group("a5")
            high = match.group("a2") or match.group("a4")
            found.append((_number(low), _number(high) if high else None, match.group(0).strip()))
        line.take("cost", match.start(), match.end())
    if not found:
        return
    low, high, text = found[0]
    reading.cost = low
    if high is not None:
        reading.note("cost", f"a price range ({text}): the lowest, {_money(low)}, taken")
    elif len(found) > 1:
        reading.note("cost", f"several prices: the first, {_money(low)}, taken")


def _number(text: str) -> float:
    """ "1,200" -> 1200, "1.200,50" -> 1200.5, "15,50" -> 15.5, "12.50" -> 12.5."""
    whole, separator, decimals = text, "", ""
    last = max(text.rfind(","), text.rfind("."))
    if last >= 0 and len(text) - last - 1 in (1, 2):
        whole, separator, decimals = text[:last], ".", text[last + 1 :]
    digits = re.sub(r"[,.\u202f ]", "", whole)
    return float(digits + separator + decimals)


def _money(amount: float) -> str:
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
    match = _COST.fullmatch(text)
    if match and match.group("free"):
        return 0.0
    if match:
        return _number(match.group("a1") or match.group("a3") or match.group("a5"))
    bare = re.fullmatch(rf"({_AMOUNT})", text)
    if bare:
        return _number(bare.group(1))
    raise ValueError(f"“{text}” is not a price")
