"""Bars that show at a glance how much of each weekly allowance the plan uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from planner.core.model import BudgetUse, Target
from planner.core.planning.quotas import QuotaUse
from planner.core.planning.report import over_budget
from planner.core.text import wording

_FILL = QColor("#2e7d32")
_TRAVEL = QColor("#8fbf8f")
_OVER = QColor("#c62828")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    used: float
    limit: float
    text: str
    part: float = 0.0
    """A share of ``used`` drawn in a lighter tone (travel inside the hours)."""
    tip: str = ""
    """The whole story, shown on hover ("over by 1 h 10 min because of events you
    committed to")."""


def target_bars(targets: Sequence[Target]) -> list[Bar]:
    """One bar per minimum the user aims for; its tooltip-free text says met or not."""
    return [
        Bar(
            f"{t.category} (aim)",
            min(t.achieved, t.minimum),
            t.minimum,
            f"{t.achieved} of at least {t.minimum}" + (" ✓" if t.met else ": not met"),
        )
        for t in targets
    ]


def quota_bars(quotas: Sequence[QuotaUse]) -> list[Bar]:
    """One bar per category cap, for the week and for the month so far."""
    return [Bar(q.label, q.used, q.limit, f"{q.used} of at most {q.limit}") for q in quotas]


def time_bar(budget: BudgetUse) -> Bar:
    """The hours: used of the budget, travel in a lighter tone; over the budget (only
    events the user committed to can take it there) it says by how much, and why."""
    b = budget
    used = f"{wording.minutes(b.used_minutes)} of {wording.minutes(b.limit_minutes)}"
    travel = f"{wording.minutes(b.travel_minutes)} of it travel"
    over = over_budget(b)
    if not over:
        return Bar("Time", b.used_minutes, b.limit_minutes, f"{used}, {travel}", b.travel_minutes)
    return Bar(
        "Time",
        b.used_minutes,
        b.limit_minutes,
        f"{used}: over by {wording.minutes(b.over_minutes)}",
        b.travel_minutes,
        tip=f"{used} ({travel}): {over}.",
    )


def bars_for(budget: BudgetUse) -> list[Bar]:
    b = budget
    bars = [
        time_bar(b),
        Bar("Events", b.events, b.max_events, f"{b.events} of {b.max_events}"),
        Bar("Evenings out", b.evenings, b.max_evenings, f"{b.evenings} of {b.max_evenings}"),
    ]
    if b.money_limit is not None:
        bars.append(
            Bar(
                "Tickets",
                b.money,
                b.money_limit,
                f"{wording.money(b.money)} of {wording.money(b.money_limit)}",
            )
        )
    return bars


class BudgetPanel(QWidget):
    """One labelled bar per allowance: hours (travel lighter), events, evenings, money."""

    ROW = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.setMinimumHeight(self.ROW * 4 + 8)

    def set_budget(
        self,
        budget: BudgetUse | None,
        targets: Sequence[Target] = (),
        quotas: Sequence[QuotaUse] = (),
    ) -> None:
        self._bars = (
            (bars_for(budget) if budget else []) + quota_bars(quotas) + target_bars(targets)
        )
        self.setMinimumHeight(self.ROW * max(1, len(self._bars)) + 8)
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def tip_at(self, y: int) -> str:
        """The whole story of the bar at height ``y``, "" when it has none."""
        row = (y - 4) // self.ROW
        return self._bars[row].tip if 0 <= row < len(self._bars) else ""

    def event(self, event: QEvent) -> bool:
        """A bar's whole story on hover, where it has one."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos().y())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(360, self.ROW * max(4, len(self._bars)) + 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Text and track follow the system palette (light or dark); the fills keep meaning.
        text = self.palette().color(QPalette.ColorRole.WindowText)
        empty = self.palette().color(QPalette.ColorRole.Mid)
        empty.setAlpha(90)
        metrics = p.fontMetrics()
        label_w = 8.0 + max((metrics.horizontalAdvance(b.label) for b in self._bars), default=0)
        text_w = 8.0 + max((metrics.horizontalAdvance(b.text) for b in self._bars), default=0)
        bar_w = max(40.0, self.width() - label_w - text_w - 16)
        for row, bar in enumerate(self._bars):
            y = 4 + row * self.ROW
            p.setPen(text)
            p.drawText(QRectF(4, y, label_w, self.ROW), Qt.AlignmentFlag.AlignVCenter, bar.label)
            track = QRectF(label_w + 4, y + 6, bar_w, self.ROW - 12)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(empty)
            p.drawRoundedRect(track, 4, 4)
            limit = bar.limit or 1
            share = min(1.0, bar.used / limit)
            fill = QRectF(track.left(), track.top(), track.width() * share, track.height())
            p.setBrush(_OVER if bar.used > bar.limit else _FILL)
            p.drawRoundedRect(fill, 4, 4)
            if bar.part:
                part = QRectF(
                    fill.right() - track.width() * min(share, bar.part / limit),
                    track.top(),
                    track.width() * min(share, bar.part / limit),
                    track.height(),
                )
                p.setBrush(_TRAVEL)
                p.drawRoundedRect(part, 4, 4)
            p.setPen(text)
            p.drawText(
                QRectF(track.right() + 8, y, text_w, self.ROW),
                Qt.AlignmentFlag.AlignVCenter,
                bar.text,
            )
        p.end()
