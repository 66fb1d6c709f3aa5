"""The first-run setup assistant: the few questions a plan needs, each skippable.

Each page asks one thing with a sensible default and a line on why it is
asked; "Skip" leaves that page's settings as they were. The pages only
collect answers: what they become as settings is the core's
(:mod:`planner.core.settings.first_run`), and what is imported or subscribed
goes through the session as File > Import and Subscribe do
(:class:`planner.gui.setup_controller.SetupController`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from planner.core.model import TravelMode
from planner.core.settings import Settings, SettingsError, parse_place
from planner.core.settings.first_run import SetupAnswers, current_answers
from planner.core.storage.feeds import FeedError, feed_url

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MODES = (
    (TravelMode.DRIVE, "Car"),
    (TravelMode.TRANSIT, "Transit"),
    (TravelMode.BIKE, "Bike"),
    (TravelMode.WALK, "Walk"),
)


@dataclass(slots=True)
class SetupOutcome:
    """What the assistant collected: settings answers and calendars to read."""

    answers: SetupAnswers
    calendars: list[str] = field(default_factory=list)
    """Commitment .ics files and feed addresses (the user's own calendar)."""
    candidates: list[str] = field(default_factory=list)
    """Candidate .ics files and feed addresses."""
    typed: str = ""
    """Event lines typed on the last page, for quick add."""


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def _why(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("setupWhy")  # why the page asks: the palette's own text, readable
    return label


def _problem_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("setupProblem")
    label.hide()
    return label


class _Page(QWizardPage):
    """A page that can be skipped; ``answers`` are only taken from pages not skipped."""

    def __init__(self, title: str, why: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.skipped = False
        self.why = _why(why)
        self.form = QFormLayout()
        self.problem = _problem_label()
        self._outer = QVBoxLayout(self)
        self._outer.addWidget(self.why)
        self._outer.addSpacing(8)
        self._outer.addLayout(self.form)

    def finish_form(self) -> None:
        self._outer.addWidget(self.problem)
        self._outer.addStretch()  # the questions at the top, however tall the page

    def say(self, problem: str) -> bool:
        """Show ``problem`` under the page (False, so Next stays here); "" hides it."""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        return not problem

    def initializePage(self) -> None:
        self.skipped = False


class HomePage(_Page):
    def __init__(self, answers: SetupAnswers, settings: Settings, ask_online: object) -> None:
        super().__init__(
            "Where is home?",
            "Evenings start and end at home: planner estimates every trip from here. An "
            'address, a town, "lat, lon" or the name of a saved place.',
        )
        self._settings = settings
        self._ask_online = ask_online
        self.home = QLineEdit(answers.home or "")
        self.home.setPlaceholderText("e.g. 120 Brock St S, Whitby, ON")
        self.home.setAccessibleName("Home address")
        self.found = QLabel()
        self.found.setWordWrap(True)
        self.online = QPushButton("Look it up online…")
        self.online.setToolTip("Asks first: the address is sent to the geocoding service")
        self.online.clicked.connect(self._look_up_online)
        self.home.editingFinished.connect(self.locate)
        self.form.addRow("&Home:", self.home)
        self.form.addRow("", self.found)
        self.form.addRow("", self.online)
        self.finish_form()
        self.locate()

    def locate(self) -> str:
        """Say where the text puts home, offline (the gazetteer); the sentence shown."""
        from planner.core.travel.gazetteer import Gazetteer

        text = self.home.text().strip()
        saved = {p.place.name.lower() for p in self._settings.places}
        if not text:
            sentence = "No home yet: trips are then assumed to take the default time."
        elif text.lower() in saved:
            sentence = f"Home is your saved place “{text}”."
        else:
            place = parse_place("home", text)
            city = None if place.has_position else Gazetteer().find(text)
            if place.has_position:
                sentence = f"Home is at {place.lat:.4f}, {place.lon:.4f}."
            elif city is not None:
                sentence = (
                    f"Found offline: {city.label} (the town's centre, so trips are approximate)."
                )
            else:
                sentence = (
                    "Not found offline: look it up online, or type the town after the street."
                )
        self.found.setText(sentence)
        return sentence

    def _look_up_online(self) -> None:
        text = self.home.text().strip()
        if text and callable(self._ask_online):
            self._ask_online([text])

    def validatePage(self) -> bool:
        try:
            parse_place("home", self.home.text(), "Home")
        except SettingsError as exc:
            return self.say(str(exc))
        return self.say("")


class WeekdaysPage(_Page):
    def __init__(self, answers: SetupAnswers) -> None:
        super().__init__(
            "Where are you on weekdays?",
            "An evening event is reached from work, not from home, and nothing is proposed "
            "while you are at work. Leave the office empty if you work from home.",
        )
        self.office = QLineEdit(answers.office or "")
        self.office.setPlaceholderText("e.g. 100 King St W, Toronto")
        self.office.setAccessibleName("Office address")
        self.days: list[QCheckBox] = []
        row = QHBoxLayout()
        chosen = answers.office_days or ()
        for index, name in enumerate(DAY_NAMES):
            box = QCheckBox(name)
            box.setChecked(index in chosen)
            self.days.append(box)
            row.addWidget(box)
        days = QWidget()
        days.setLayout(row)
        self.start = QTimeEdit(_qtime(answers.office_start or time(9, 0)))
        self.end = QTimeEdit(_qtime(answers.office_end or time(17, 0)))
        for edit, name in ((self.start, "Work starts"), (self.end, "Work ends")):
            edit.setDisplayFormat("HH:mm")
            edit.setAccessibleName(name)
        self.commute = QComboBox()
        for mode, text in MODES:
            self.commute.addItem(text, mode)
        self.commute.setCurrentIndex(
            next((i for i, (m, _) in enumerate(MODES) if m is answers.commute), 0)
        )
        self.commute.setAccessibleName("How you get around")
        self.form.addRow("&Office:", self.office)
        self.form.addRow("Office &days:", days)
        self.form.addRow("Work &starts:", self.start)
        self.form.addRow("Work &ends:", self.end)
        self.form.addRow("&Get around by:", self.commute)
        self.finish_form()

    def validatePage(self) -> bool:
        if self.end.time() <= self.start.time():
            return self.say("Work must end after it starts.")
        try:
            parse_place("office", self.office.text(), "Office")
        except SettingsError as exc:
            return self.say(str(exc))
        return self.say("")


class TimePage(_Page):
    def __init__(self, answers: SetupAnswers) -> None:
        super().__init__(
            "How much time for networking?",
            "The plan keeps within these: hours a week (travel included), evenings out, and "
            "when you want to be home.",
        )
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 168)
        self.hours.setSingleStep(0.5)
        self.hours.setSuffix(" h")
        self.hours.setValue(answers.weekly_hours if answers.weekly_hours is not None else 3.0)
        self.hours.setAccessibleName("Hours a week for networking")
        self.evenings = QSpinBox()
        self.evenings.setRange(0, 7)
        self.evenings.setValue(answers.max_evenings_out or 0)
        self.evenings.setAccessibleName("Evenings out a week")
        self.home_by = QTimeEdit(_qtime(answers.latest_home or time(22, 0)))
        self.home_by.setDisplayFormat("HH:mm")
        self.home_by.setAccessibleName("Be home by")
        self.weekends = QCheckBox("Keep weekends free")
        self.weekends.setChecked(bool(answers.protect_weekends))
        self.form.addRow("Hours a &week:", self.hours)
        self.form.addRow("E&venings out a week:", self.evenings)
        self.form.addRow("Be home &by:", self.home_by)
        self.form.addRow(self.weekends)
        self.finish_form()


class _SourcesPage(_Page):
    """Files (one per line, Browse… adds) and feed addresses (one per line)."""

    def __init__(self, title: str, why: str, file_hint: str, feed_hint: str) -> None:
        super().__init__(title, why)
        self.files = QPlainTextEdit()
        self.files.setPlaceholderText(file_hint)
        self.files.setAccessibleName("Calendar files")
        self.files.setMaximumHeight(70)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        self.feeds = QPlainTextEdit()
        self.feeds.setPlaceholderText(feed_hint)
        self.feeds.setAccessibleName("Feed addresses")
        self.feeds.setMaximumHeight(70)
        self.form.addRow(".ics &files:", self.files)
        self.form.addRow("", browse)
        self.form.addRow("Feed &addresses:", self.feeds)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self, "Calendar files", str(Path.home()), "iCalendar (*.ics *.ical);;All (*)"
        )
        if chosen:
            self.files.appendPlainText("\n".join(chosen))

    def sources(self) -> list[str]:
        """The files, then the feeds, as typed (blank lines dropped)."""
        lines = self.files.toPlainText().splitlines() + self.feeds.toPlainText().splitlines()
        return [line.strip() for line in lines if line.strip()]

    def validatePage(self) -> bool:
        for line in self.files.toPlainText().splitlines():
            if line.strip() and not Path(line.strip()).expanduser().is_file():
                return self.say(f"{line.strip()}: no such file.")
        for line in self.feeds.toPlainText().splitlines():
            if line.strip():
                try:
                    feed_url(line.strip())
                except FeedError as exc:
                    return self.say(str(exc))
        return self.say("")


class CalendarPage(_SourcesPage):
    def __init__(self) -> None:
        super().__init__(
            "Where is your calendar?",
            "Your meetings and plans are busy time: nothing is proposed over them, and trips "
            "start from where they are. A feed is read again every few hours.",
            "/home/you/Downloads/work.ics",
            "Google Calendar: Settings > your calendar > Secret address in iCal format\n"
            "Outlook: Settings > Calendar > Shared calendars > Publish (ICS link)",
        )
        self.finish_form()


class CandidatesPage(_SourcesPage):
    def __init__(self) -> None:
        super().__init__(
            "Where do events come from?",
            "Candidates are the events planner chooses from: a group's feed (Meetup, a "
            "chamber of commerce), a downloaded .ics, or events you type, one a line.",
            "/home/you/Downloads/events.ics",
            "https://www.meetup.com/your-group/events/ical/",
        )
        self.typed = QPlainTextEdit()
        self.typed.setPlaceholderText("PMI mixer Thu 18:00-20:00 at The Keg, Toronto")
        self.typed.setAccessibleName("Events typed, one a line")
        self.typed.setMaximumHeight(70)
        self.form.addRow("&Typed events:", self.typed)
        self.finish_form()


class SetupAssistant(QWizard):
    """The setup's pages over the user's current settings (their values shown first)."""

    def __init__(
        self, settings: Settings, parent: QWidget | None = None, ask_online: object = None
    ) -> None:
        """``ask_online(addresses)`` asks consent to geocode (None: no such button works)."""
        super().__init__(parent)
        self.setWindowTitle("Set up planner")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "&Skip")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Plan my week")
        self.customButtonClicked.connect(self._skip)
        self._skipping = False
        answers = current_answers(settings)
        self.home_page = HomePage(answers, settings, ask_online)
        self.weekdays_page = WeekdaysPage(answers)
        self.time_page = TimePage(answers)
        self.calendar_page = CalendarPage()
        self.candidates_page = CandidatesPage()
        self.pages: list[_Page] = [
            self.home_page,
            self.weekdays_page,
            self.time_page,
            self.calendar_page,
            self.candidates_page,
        ]
        for page in self.pages:
            self.addPage(page)
        self.resize(640, 460)

    def _skip(self, which: int) -> None:
        page = self.currentPage()
        if which != QWizard.WizardButton.CustomButton1.value or not isinstance(page, _Page):
            return
        page.skipped = True
        page.say("")
        self._skipping = True  # Qt validates a page it leaves forward: a skipped one is not
        try:
            if page is self.pages[-1]:
                self.accept()  # the last page skipped: done, with what the others said
            else:
                self.setCurrentId(self.pageIds()[self.pages.index(page) + 1])
        finally:
            self._skipping = False

    def validateCurrentPage(self) -> bool:
        page = self.currentPage()
        if self._skipping or not isinstance(page, _Page):
            return True
        page.skipped = False  # Next (or Plan my week) takes the page's answers
        return super().validateCurrentPage()

    def skip(self) -> None:
        """Skip the page shown (the Skip button)."""
        self._skip(QWizard.WizardButton.CustomButton1.value)

    def _taken(self, page: _Page) -> bool:
        return page in self._visited and not page.skipped

    @property
    def _visited(self) -> list[_Page]:
        ids = set(self.visitedIds())
        return [p for p in self.pages if self.pageIds()[self.pages.index(p)] in ids]

    def outcome(self) -> SetupOutcome:
        """The answers of the pages seen and not skipped."""
        home, week, hours = self.home_page, self.weekdays_page, self.time_page
        answers = SetupAnswers()
        if self._taken(home):
            answers = replace(answers, home=home.home.text().strip())
        if self._taken(week):
            answers = replace(
                answers,
                office=week.office.text().strip(),
                office_days=tuple(i for i, box in enumerate(week.days) if box.isChecked()),
                office_start=_time(week.start.time()),
                office_end=_time(week.end.time()),
                commute=week.commute.currentData(),
            )
        if self._taken(hours):
            answers = replace(
                answers,
                weekly_hours=hours.hours.value(),
                max_evenings_out=hours.evenings.value(),
                latest_home=_time(hours.home_by.time()),
                protect_weekends=hours.weekends.isChecked(),
            )
        outcome = SetupOutcome(answers)
        if self._taken(self.calendar_page):
            outcome.calendars = self.calendar_page.sources()
        if self._taken(self.candidates_page):
            outcome.candidates = self.candidates_page.sources()
            outcome.typed = self.candidates_page.typed.toPlainText().strip()
        return outcome
