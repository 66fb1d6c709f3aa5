"""Asking, once, whether addresses may be sent to the geocoder.

planner works offline; only with this consent does an address leave the
computer. The question names what would be sent and to whom.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SHOWN = 12


def consent_text(addresses: list[str], service: str) -> tuple[str, str]:
    """The question and the detail listing what would be sent."""
    count = len(addresses)
    question = (
        f"{count} address{'es' if count != 1 else ''} in your calendars could not be placed "
        "offline, so travel to them is only assumed.\n\n"
        f"May planner look them up with {service}? The addresses are sent over the internet; "
        "each is looked up once and remembered on this computer. You can change this later "
        "in your settings ([geocoding] consent)."
    )
    listed = "\n".join(addresses[:SHOWN])
    if count > SHOWN:
        listed += f"\n... and {count - SHOWN} more"
    return question, listed


def ask_geocoding_consent(parent: QWidget | None, addresses: list[str], service: str) -> bool:
    question, listed = consent_text(addresses, service)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Look up addresses online?")
    box.setText(question)
    box.setDetailedText(listed)
    allow = box.addButton("Look them up", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Keep everything offline", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is allow
