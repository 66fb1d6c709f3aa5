"""Every screenshot of the README, made again: the same pictures on every machine.

Renders, at each size and on a light and a dark palette (Fusion, as a dark desktop
gives it), the real window and dialogs:

- ``setup-first`` and ``setup-calendar``: the setup assistant as it opens over an
  empty window on a first start (its first page), and its calendar page;
- ``demo-week``: the demo week, its most valuable proposal selected (as
  ``planner --demo --screenshot`` shows it);
- ``import-week``: the demo's two calendars imported into a fresh folder
  (``commitments.ics`` as commitments, ``candidates.ics`` as candidates) through the
  session the window uses, with no settings file: what the defaults plan;
- ``what-changed``: the demo week right after committing to Whitby Chamber, which
  pushes two proposals out: the line saying so, with Undo;
- ``history``: View > History on a store holding a year of weeks, written with the
  store's own API by ``fill_history`` of ``benchmarks/bench_history_view.py`` (the
  store that benchmark opens);
- ``link-preview``: the add preview over the demo week after a link was pasted: an
  events page (:data:`EVENTS_PAGE`, two events in schema.org JSON-LD) served by a
  server on 127.0.0.1 started here, read by the same code as ``planner add URL``.

Each picture is the widgets' own ``grab()`` once the plan is shown and the work it
started has reported (no fixed delay); a dialog is drawn over its window where it
would open. Everything runs in fresh temporary PLANNER_* folders, never the user's,
and headless (QT_QPA_PLATFORM=offscreen).

Run: ``python packaging/screenshots/make_screenshots.py [--out DIR] [--size 1280x720]
[--palette dark]`` (default: every size and palette, into this folder).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from planner.core.session import Session
    from planner.gui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
"""The checkout: ``fill_history`` is the history benchmark's, imported from benchmarks/."""
SIZES = ((1280, 720), (1400, 900), (1920, 1080))
PALETTES = ("light", "dark")
SHOTS = (
    "setup-first",
    "setup-calendar",
    "demo-week",
    "import-week",
    "what-changed",
    "history",
    "link-preview",
)
PNG_QUALITY = 0
"""Qt's PNG writer: 0 is its strongest compression (lossless, slower to write)."""
TIMEOUT_MS = 60_000

DARK = {
    "Window": "#2b2b2b",
    "WindowText": "#e8e8e8",
    "Base": "#1e1e1e",
    "AlternateBase": "#262626",
    "Text": "#e8e8e8",
    "Button": "#353535",
    "ButtonText": "#e8e8e8",
    "Highlight": "#3d7ebf",
    "HighlightedText": "#ffffff",
    "Mid": "#555555",
    "Dark": "#1a1a1a",
    "Light": "#505050",
    "Midlight": "#404040",
    "PlaceholderText": "#909090",
    "ToolTipBase": "#333333",
    "ToolTipText": "#e8e8e8",
    "Link": "#6fb1ff",
}
"""A dark desktop's palette (the roles Fusion paints with)."""
DISABLED_TEXT = "#7a7a7a"

EVENTS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Events | Durham Business Network</title>
<script type="application/ld+json">
[{"@context": "https://schema.org", "@type": "BusinessEvent",
  "name": "Durham Business Network: Holiday Mixer",
  "url": "https://events.example.org/durham-business-network/holiday-mixer",
  "startDate": "2026-11-26T17:30:00-05:00", "endDate": "2026-11-26T19:30:00-05:00",
  "location": {"@type": "Place", "name": "Station Gallery",
    "address": {"@type": "PostalAddress", "streetAddress": "1450 Henry St",
      "addressLocality": "Whitby", "addressRegion": "ON", "addressCountry": "CA"}},
  "offers": [{"@type": "Offer", "name": "Member", "price": "15", "priceCurrency": "CAD"},
    {"@type": "Offer", "name": "Guest", "price": "25", "priceCurrency": "CAD"}]},
 {"@context": "https://schema.org", "@type": "EducationEvent",
  "name": "Lunch &amp; Learn: Selling to the Public Sector",
  "url": "https://events.example.org/durham-business-network/lunch-and-learn",
  "startDate": "2026-11-27T12:00:00",
  "location": {"@type": "Place", "name": "Oshawa Public Library",
    "address": "65 Bagot St, Oshawa, ON"},
  "isAccessibleForFree": true}]
</script></head>
<body><h1>Upcoming events</h1></body></html>
"""
"""The page the link preview reads: two events, one with a member's and a guest's price
(the guest's is taken, and said), one without an end time or a zone (both assumed)."""


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def file_name(shot: str, size: tuple[int, int], palette: str) -> str:
    return f"{shot}-{size[0]}x{size[1]}-{palette}.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNGs")
    parser.add_argument("--size", action="append", type=parse_size, help="e.g. 1280x720")
    parser.add_argument("--palette", action="append", choices=PALETTES)
    parser.add_argument("--shot", action="append", choices=SHOTS)
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="planner-shots-") as folder:
        root = Path(folder)
        for name in ("DATA", "CONFIG", "CACHE", "LOG"):  # never the user's folders
            (root / name.lower()).mkdir()
            os.environ[f"PLANNER_{name}_DIR"] = str(root / name.lower())
        args.out.mkdir(parents=True, exist_ok=True)
        made = Shooter(root, args.out).run(
            args.size or list(SIZES), args.palette or list(PALETTES), args.shot or list(SHOTS)
        )
    for path in made:
        print(f"saved {path}")
    return 0


class Shooter:
    """Makes the pictures, each in its own window over its own session."""

    def __init__(self, root: Path, out: Path) -> None:
        # Imported here: the PLANNER_* folders are set first.
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from planner.gui.app import QUIET_QT_MESSAGES

        self.root, self.out = root, out

        # The headless platform's notices say nothing about the pictures.
        def say(_kind: object, _context: object, message: str) -> None:
            if message not in QUIET_QT_MESSAGES:
                print(f"qt: {message}", file=sys.stderr)

        qInstallMessageHandler(say)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        self.app = app
        app.setStyle("Fusion")
        self._count = 0

    def run(
        self, sizes: list[tuple[int, int]], palettes: list[str], shots: list[str]
    ) -> list[Path]:
        history = self.root / "history.sqlite3"
        if "history" in shots:
            if str(ROOT) not in sys.path:  # run as a script from a non-editable install
                sys.path.insert(0, str(ROOT))
            from benchmarks.bench_history_view import fill_history

            fill_history(history, datetime(2026, 12, 7, tzinfo=UTC))
        made: list[Path] = []
        for palette in palettes:
            self.use_palette(palette)
            for size in sizes:
                for shot in shots:
                    target = self.out / file_name(shot, size, palette)
                    image = self.render(shot, size, history)
                    if not image.save(str(target), quality=PNG_QUALITY):
                        raise OSError(f"could not write {target}")
                    made.append(target)
        return made

    def use_palette(self, palette: str) -> None:
        from PySide6.QtGui import QColor, QPalette

        style = self.app.style()
        colours = style.standardPalette()
        if palette == "dark":
            for role, colour in DARK.items():
                colours.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
            # What cannot be used yet (Back on the first page) is dimmed, as a dark theme does.
            for role in ("WindowText", "Text", "ButtonText"):
                colours.setColor(
                    QPalette.ColorGroup.Disabled,
                    getattr(QPalette.ColorRole, role),
                    QColor(DISABLED_TEXT),
                )
        self.app.setPalette(colours)

    # --- one picture --------------------------------------------------------------------
    def render(self, shot: str, size: tuple[int, int], history: Path) -> QImage:
        if shot == "history":
            image = self.history(size, history)
        elif shot.startswith("setup"):
            image = self.setup(size, calendar_page=shot == "setup-calendar")
        elif shot == "import-week":
            image = self.imported(size)
        elif shot == "link-preview":
            image = self.link_preview(size)
        else:
            image = self.demo(size, commit=shot == "what-changed")
        return image

    def demo(self, size: tuple[int, int], *, commit: bool) -> QImage:
        from planner.core.demo import DEMO_WEEK, demo_settings
        from planner.core.session import Session, calendar_loader

        session = Session(calendar_loader(demo=True), demo_settings())
        with self.window(session, DEMO_WEEK, size) as window:
            if commit:
                plan = window.plan
                assert plan is not None  # shown: until_planned waited for it
                whitby = next(d for d in plan.decisions if "Whitby" in d.event.summary)
                self.until_planned(window, lambda: window.decisions.pin(whitby.event.key))
                window.select_event(whitby.event.key)
                scroll_to(window, whitby.event.key)  # the committed block in sight
                self.settle()
                # The changed blocks as outlined the moment the plan is shown (the outline
                # fades; a picture taken a few ms later would differ on every run).
                changed = window.what_changed
                for outline in (changed.week_outline, changed.list_outline):
                    outline.animation.setCurrentTime(0)
                return window.grab().toImage()
            select_best(window)
            return self.grab(window)

    def imported(self, size: tuple[int, int]) -> QImage:
        from planner import resources
        from planner.core import saved
        from planner.core.demo import DEMO_WEEK
        from planner.core.settings import Settings
        from planner.core.storage.store import Store

        self._count += 1
        folder = self.root / f"import-{self._count}"
        folder.mkdir()
        with Store.open(folder / "planner.sqlite3") as store:
            # No settings file: the defaults, as after a first import.
            session = saved.open_session(store, Settings(), settings_path=folder / "settings.toml")
            session.add_sources(
                [
                    (str(resources.path("demo", "commitments.ics")), "commitments"),
                    (str(resources.path("demo", "candidates.ics")), "candidates"),
                ]
            )
            with self.window(session, DEMO_WEEK, size) as window:
                select_best(window)
                image = self.grab(window)
            session.flush()
            return image

    def link_preview(self, size: tuple[int, int]) -> QImage:
        from dataclasses import replace

        from planner.core.demo import DEMO_WEEK, demo_settings
        from planner.core.session import Session, calendar_loader
        from planner.core.settings import WebSettings
        from planner.gui.quick_add_dialog import QuickAddDialog

        settings = replace(demo_settings(), web=WebSettings(fetch=True))
        session = Session(calendar_loader(demo=True), settings)
        with events_site() as url, self.window(session, DEMO_WEEK, size) as window:
            select_best(window)
            reference = window.decisions.reference(settings)
            dialog = QuickAddDialog(url, settings, reference, window)
            dialog.resize(min(1000, size[0] - 80), min(420, size[1] - 120))
            dialog.show()
            self.settle()
            assert not dialog.reading and dialog.model.rowCount() == 2, dialog.status.text()
            image = over(self.grab(window), dialog.grab().toImage())
            dialog.reject()
            dialog.deleteLater()
            self.settle()
            return image

    def setup(self, size: tuple[int, int], *, calendar_page: bool) -> QImage:
        from planner.core import saved
        from planner.core.settings import Settings
        from planner.core.storage.store import Store

        self._count += 1
        folder = self.root / f"first-{self._count}"
        folder.mkdir()
        with Store.open(folder / "planner.sqlite3") as store:
            session = saved.open_session(store, Settings(), settings_path=folder / "settings.toml")
            today = date(2026, 11, 23)
            with self.window(session, today, size) as window:
                window.setup.run()
                assistant = window.setup.assistant
                assert assistant is not None
                if calendar_page:
                    page = assistant.pages.index(assistant.calendar_page)
                    assistant.setCurrentId(assistant.pageIds()[page])
                self.settle()
                image = over(self.grab(window), assistant.grab().toImage())
                assistant.reject()
                self.settle()
            session.flush()
            return image

    def history(self, size: tuple[int, int], path: Path) -> QImage:
        from planner.core.storage.store import Store
        from planner.gui.history_view import HistoryDialog

        with Store.open(path) as store:
            dialog = HistoryDialog(store, date(2026, 12, 7))
            dialog.resize(*size)
            dialog.show()
            self.settle()
            image = dialog.grab().toImage()
            dialog.close()
            dialog.deleteLater()
            self.settle()
            return image

    # --- the window and its event loop --------------------------------------------------
    @contextmanager
    def window(self, session: Session, day: date, size: tuple[int, int]) -> Iterator[MainWindow]:
        from planner.gui.main_window import MainWindow

        settings = session.settings
        # As ``planner --screenshot``: the week as on its Monday evening, whatever today is.
        now = datetime.combine(day - timedelta(days=day.weekday()), time(18), settings.zone)
        window = MainWindow(session, day, now=now, ask_consent=False, remember_layout=False)
        window.resize(*size)
        self.until_planned(window, window.show)
        try:
            yield window
        finally:
            window.close()
            window.deleteLater()
            self.settle()

    def until_planned(self, window: MainWindow, start: Callable[[], object]) -> None:
        """Run ``start`` and wait (in the event loop) until the window shows a new plan."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        failed: list[str] = []

        def fail(message: str) -> None:
            failed.append(message)
            loop.quit()

        window.planned.connect(loop.quit)
        window.planFailed.connect(fail)
        QTimer.singleShot(TIMEOUT_MS, lambda: fail("timed out"))
        start()
        loop.exec()
        window.planned.disconnect(loop.quit)
        if failed:
            raise RuntimeError(f"planning failed: {failed[0]}")
        self.settle()

    def settle(self) -> None:
        """Let the work the plan started (a search, a layout) report, then the events it posted."""
        from PySide6.QtCore import QEventLoop

        from planner.gui import background

        while not background.idle():
            self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        for _ in range(3):
            self.app.processEvents()

    def grab(self, window: MainWindow) -> QImage:
        self.settle()
        return window.grab().toImage()


@contextmanager
def events_site() -> Iterator[str]:
    """:data:`EVENTS_PAGE` served on 127.0.0.1 (no proxy), for as long as it is used;
    its address."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = EVENTS_PAGE.encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    os.environ["no_proxy"] = "127.0.0.1,localhost"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/durham-business-network/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def select_best(window: MainWindow) -> None:
    """Select the most valuable proposal with travel, as ``planner --screenshot`` does."""
    plan = window.plan
    if plan is not None and plan.chosen:
        best = max(plan.chosen, key=lambda d: (d.trip_to is not None, d.value))
        window.select_event(best.event.key)


def scroll_to(window: MainWindow, key: str) -> None:
    """Scroll the week so the block of ``key`` is in its middle."""
    rect = window.week_view.item_rect(key)
    if rect is not None:
        half = window.week_scroll.height() // 2
        window.week_scroll.ensureVisible(0, int(rect.center().y()), 0, half)


def over(back: QImage, front: QImage) -> QImage:
    """``front`` (a dialog) drawn centred over ``back`` (its window), with a thin frame."""
    from PySide6.QtGui import QColor, QPainter, QPen

    picture = back.copy()
    painter = QPainter(picture)
    x = max(0, (back.width() - front.width()) // 2)
    y = max(0, (back.height() - front.height()) // 2)
    painter.drawImage(x, y, front)
    painter.setPen(QPen(QColor(0, 0, 0, 120), 1))
    painter.drawRect(x, y, front.width() - 1, front.height() - 1)
    painter.end()
    return picture


if __name__ == "__main__":
    sys.exit(main())
