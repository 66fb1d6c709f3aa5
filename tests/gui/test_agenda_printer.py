"""The agenda as a PDF and on a printer: real PDFs, read back as text with pypdf."""

import io
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog

from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.planning.plan import plan_week
from planner.gui import agenda_printer
from planner.gui.agenda_printer import pdf_bytes, preview_agenda, print_agenda, write_pdf

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.fixture(scope="module")
def plan():
    settings = demo_settings()
    week = load_demo(DEMO_WEEK, settings)
    return plan_week(week.commitments, week.candidates, settings, DEMO_WEEK)


def page_texts(source) -> list[str]:
    """Each page's text with whitespace (tabs, wrapped lines) collapsed to single spaces."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(source).pages]


def test_write_pdf_makes_a_pdf_with_every_event_and_leave_by_time(qapp, plan, tmp_path):
    path = tmp_path / "agenda.pdf"
    write_pdf(plan, path)
    assert path.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(path)
    assert reader.metadata is not None
    assert reader.metadata.title == "Agenda: week of Monday 23 November 2026"
    (text,) = page_texts(path)
    assert text.startswith("Agenda: week of Monday 23 November 2026")
    for d in plan.chosen:
        assert d.event.summary in text
        assert d.leave_at.strftime("%H:%M") in text
    for line in (
        "Leave the office at 17:15 · drive 15 min in rush hour, 2 km",
        "Leave Sir William Stephenson Public School at 19:10",
        "Join online at 07:00",
        "Back home by 20:42",
        "8500 Warden Ave, Markham, ON L6G 1A5",
        "https://lu.ma/durhamtech-coffee",
        "page 1 of 1",
    ):
        assert line in text
    assert "ﬃ" not in text and "ﬁ" not in text  # no ligatures: "office" can be found
    # The links are live in the PDF as well as written out.
    annotations = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    uris = {a["/A"]["/URI"] for a in annotations if a.get("/Subtype") == "/Link"}
    assert {d.event.url for d in plan.chosen} <= uris


def test_write_pdf_to_a_folder_that_does_not_exist_raises_oserror(qapp, plan, tmp_path):
    with pytest.raises(OSError, match="No such file"):
        write_pdf(plan, tmp_path / "missing" / "agenda.pdf")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("locale", "size", "points"),
    [
        ("en_US", QPageSize.PageSizeId.Letter, (612, 792)),
        ("en_CA", QPageSize.PageSizeId.Letter, (612, 792)),
        ("fr_FR", QPageSize.PageSizeId.A4, (595, 842)),
        ("en_GB", QPageSize.PageSizeId.A4, (595, 842)),
    ],
)
def test_paper_follows_the_locale(qapp, plan, locale, size, points):
    assert agenda_printer.page_size_for(QLocale(locale)).id() == size
    layout = agenda_printer.page_layout(QLocale(locale))
    assert layout.margins().left() == pytest.approx(agenda_printer.MARGIN_MM)
    page = PdfReader(io.BytesIO(pdf_bytes(plan, QLocale(locale)))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == points


def long_week(plan):
    """Every chosen event on every day of the week: more than a page."""
    decisions = []
    for d in plan.chosen:
        for shift in range(-4, 5):
            delta = timedelta(days=shift)
            event = replace(
                d.event,
                uid=f"{d.event.uid}-{shift}",
                start=d.event.start + delta,
                end=d.event.end + delta,
            )
            if plan.week_start <= event.start < plan.week_end:
                decisions.append(
                    replace(d, event=event, leave_at=d.leave_at + delta, back_at=d.back_at + delta)
                )
    return replace(plan, decisions=tuple(decisions))


def test_a_long_week_keeps_each_event_on_one_page_under_its_day(qapp, plan):
    pages = page_texts(io.BytesIO(pdf_bytes(long_week(plan), QLocale("de_DE"))))
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert f"page {number} of {len(pages)}" in text
        # A card is never cut: its leave-by line and its way back are on the same page.
        assert text.count("Leave the office at 17:15") == text.count("Back home by 20:42")
        assert text.count("Leave Sir William") == text.count("At Iroquois Park Sports Centre")
        if number > 1:  # every page says which day it continues
            assert text.split()[0] in DAYS, text[:80]
    assert any("(continued)" in text for text in pages)
    for day in DAYS:
        assert sum(text.count(f"{day} 2") for text in pages) >= 1


def accept_into(path):
    """A stand-in for the user choosing "Print to file (PDF)" and pressing Print."""

    def exec_(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return QDialog.DialogCode.Accepted

    return exec_


def test_print_agenda_prints_what_the_dialog_chose(qapp, plan, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(QPrintDialog, "exec", accept_into(out))
    assert print_agenda(plan, None) is True
    (text,) = page_texts(out)
    assert "Leave the office at 17:15" in text
    assert "HDI (Help Desk Institute) Toronto Local Chapter" in text


def test_print_agenda_cancelled_prints_nothing(qapp, plan, tmp_path, monkeypatch):
    seen = []

    def cancel(dialog):
        seen.append(dialog.printer().docName())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintDialog, "exec", cancel)
    assert print_agenda(plan, None) is False
    assert seen == ["Agenda: week of Monday 23 November 2026"]
    assert list(tmp_path.iterdir()) == []


def test_preview_draws_the_same_pages(qapp, plan, tmp_path, monkeypatch):
    out = tmp_path / "preview.pdf"

    def show(dialog):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintPreviewDialog, "exec", show)
    assert preview_agenda(plan, None) is False
    (text,) = page_texts(out)
    assert "Back home by 20:42" in text


def test_without_a_qt_application_it_raises_instead_of_aborting(tmp_path):
    code = (
        "from pathlib import Path\n"
        "from planner.core.demo import DEMO_WEEK, demo_settings, load_demo\n"
        "from planner.core.planning.plan import plan_week\n"
        "from planner.gui.agenda_printer import write_pdf\n"
        "s = demo_settings(); w = load_demo(DEMO_WEEK, s)\n"
        "plan = plan_week(w.commitments, w.candidates, s, DEMO_WEEK)\n"
        "try:\n"
        f"    write_pdf(plan, Path({str(tmp_path / 'a.pdf')!r}))\n"
        "except RuntimeError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "needs a QGuiApplication" in result.stdout
    assert not (tmp_path / "a.pdf").exists()
