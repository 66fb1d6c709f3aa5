"""The agenda on paper or as a PDF, drawn from the same HTML as the browser version.

Qt's QTextDocument lays the agenda's HTML out in pages itself, so the PDF and
the printout are the page the user would print from a browser, with no
second renderer to keep in step. The pages are painted one by one (rather
than with ``QTextDocument.print_``) so that the margins are ours, not Qt's
extra 2 cm, and each page carries a footer saying which week it belongs to:
printed agendas get left on desks and mixed up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from planner import __version__
from planner.core.calendars.agenda import agenda_html, agenda_title
from planner.core.model import Plan

# Where Letter is the paper in the shops (the rest of the world uses A4).
LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.CostaRica,
        QLocale.Country.DominicanRepublic,
        QLocale.Country.ElSalvador,
        QLocale.Country.Guatemala,
        QLocale.Country.Nicaragua,
        QLocale.Country.Panama,
        QLocale.Country.Philippines,
        QLocale.Country.PuertoRico,
        QLocale.Country.Venezuela,
    }
)
MARGIN_MM = 15.0
_FOOTER_POINTS = 7.5
_DAY_HEADING = 2  # the agenda's days are <h2>
_CONTINUED = " (continued)"


def page_size_for(locale: QLocale | None = None) -> QPageSize:
    """A4, or Letter where that is what the printer is loaded with."""
    territory = (locale or QLocale()).territory()
    if territory in LETTER_TERRITORIES:
        return QPageSize(QPageSize.PageSizeId.Letter)
    return QPageSize(QPageSize.PageSizeId.A4)


def page_layout(locale: QLocale | None = None) -> QPageLayout:
    """Portrait with 15 mm margins: inside every printer's unprintable border."""
    margin = MARGIN_MM
    return QPageLayout(
        page_size_for(locale),
        QPageLayout.Orientation.Portrait,
        QMarginsF(margin, margin, margin, margin),
        QPageLayout.Unit.Millimeter,
    )


def _heading_above(block: QTextBlock) -> QTextBlock | None:
    while block.isValid():
        if block.blockFormat().headingLevel() == _DAY_HEADING:
            return block
        block = block.previous()
    return None


def _keep_tables_whole(doc: QTextDocument, page_height: float) -> None:
    """Move each table that would straddle a page to the next page, heading and all.

    QTextDocument splits tables between lines wherever the page ends and
    ignores ``page-break-inside``; the agenda's tables are its event cards
    and runs of commitments, so it does here what a browser does with that
    CSS. A table that starts a page away from its day's heading gets the
    heading again, marked "continued", so no page starts with an unnamed day.
    """
    layout = doc.documentLayout()

    def page(y: float) -> int:
        return int(y // page_height)

    for _ in range(len(doc.rootFrame().childFrames()) + 1):  # one table settled per pass
        for frame in doc.rootFrame().childFrames():
            rect = layout.frameBoundingRect(frame)
            straddles = page(rect.top()) != page(rect.bottom() - 1)
            if rect.height() > page_height:
                continue  # longer than a page: splitting it is the only way
            before = doc.findBlock(frame.firstPosition() - 1)
            heading = _heading_above(before)
            if heading is None:
                if straddles:
                    target = frame.frameFormat()
                    target.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    frame.setFrameFormat(target)
                    break
                continue
            away = page(layout.blockBoundingRect(heading).top()) != page(rect.top())
            if not (straddles or away):
                continue
            fmt = heading.blockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            cursor = QTextCursor(before)
            if heading == before:  # the day's first table: the heading goes with it
                cursor.setBlockFormat(fmt)
                break
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.insertBlock(fmt, heading.begin().fragment().charFormat())
            day = heading.text().removesuffix(_CONTINUED)
            cursor.insertText(day + _CONTINUED)
            break
        else:
            return


def _render(
    plan: Plan,
    device: QPagedPaintDevice,
    pages: tuple[int, int] = (0, 0),
    copies: int = 1,
    notices: Sequence[str] = (),
) -> bool:
    """Lay the agenda out for ``device``'s pages and paint them; False if it refused.

    ``pages`` is the printer's 1-based from/to range, (0, 0) for every page;
    ``copies`` is for printers (and PDF files) that cannot make copies themselves;
    ``notices`` are what the plan was made without (a calendar not read), printed at the
    top as the terminal's ``--agenda`` prints them: paper outlives the window's bar.
    """
    dpi = device.logicalDpiY()
    paint_rect = device.pageLayout().paintRectPixels(dpi)
    footer_font = QFont()
    footer_font.setPointSizeF(_FOOTER_POINTS)
    footer_height = QFontMetricsF(footer_font, device).height() * 2.5
    body = QRectF(0, 0, paint_rect.width(), paint_rect.height() - footer_height)

    doc = QTextDocument()
    # Laid out in the device's own pixels, so that points are points on paper.
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    plain = QFont(doc.defaultFont())
    # Ligatures would turn "office" into "oﬃce" for anyone copying or searching the PDF.
    for feature in ("liga", "clig"):
        plain.setFeature(QFont.Tag(feature), 0)
    doc.setDefaultFont(plain)
    doc.setHtml(agenda_html(plan, notices=notices))
    doc.setPageSize(body.size())
    _keep_tables_whole(doc, body.height())
    count = doc.pageCount()
    first = max(pages[0], 1) - 1
    last = min(pages[1] or count, count)

    title = agenda_title(plan)
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        for number, page in enumerate(list(range(first, last)) * copies):
            if number:
                device.newPage()
            painter.save()
            painter.translate(0, -page * body.height())
            doc.drawContents(painter, body.translated(0, page * body.height()))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#777777"))
            footer = QRectF(0, body.height(), body.width(), footer_height)
            painter.drawText(
                footer,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                f"{title} · planned by planner {__version__}",
            )
            painter.drawText(
                footer,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                f"page {page + 1} of {count}",
            )
    finally:
        painter.end()
    return True


def pdf_bytes(plan: Plan, locale: QLocale | None = None, notices: Sequence[str] = ()) -> bytes:
    """The agenda as a PDF document, in memory.

    Raises:
        RuntimeError: when no QGuiApplication exists; Qt would abort the process
            at the first font instead of raising.
    """
    if QGuiApplication.instance() is None:
        raise RuntimeError("drawing the agenda needs a QGuiApplication (for its fonts)")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(page_layout(locale))
    writer.setResolution(300)
    writer.setTitle(agenda_title(plan))
    writer.setCreator(f"planner {__version__}")
    if not _render(plan, writer, notices=notices):
        raise RuntimeError("Qt could not start a PDF")
    buffer.close()
    return bytes(data.data())


def write_pdf(plan: Plan, path: Path, notices: Sequence[str] = ()) -> None:
    """Write the agenda as a PDF file, A4 or Letter by the user's locale.

    The PDF is made in memory and written in one go, so a path that cannot be
    written raises the usual OSError instead of leaving half a file.
    """
    path.write_bytes(pdf_bytes(plan, notices=notices))


def _printer(plan: Plan) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(agenda_title(plan))
    printer.setCreator(f"planner {__version__}")
    return printer


def print_agenda(plan: Plan, parent: QWidget | None = None, notices: Sequence[str] = ()) -> bool:
    """Ask where and how to print, then print; False when the user cancels.

    It is also False when the chosen printer refuses the job, which Qt
    reports without saying why.
    """
    printer = _printer(plan)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the agenda")
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
    return _render(plan, printer, (printer.fromPage(), printer.toPage()), copies, notices)


def preview_agenda(plan: Plan, parent: QWidget | None = None, notices: Sequence[str] = ()) -> bool:
    """Show the pages as they will print; True when the user printed from the preview."""
    printer = _printer(plan)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Agenda: print preview")
    dialog.paintRequested.connect(lambda target: _render(plan, target, notices=notices))
    return dialog.exec() == QDialog.DialogCode.Accepted
