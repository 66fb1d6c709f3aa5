"""Asking before anything leaves the computer: addresses for the geocoder, a link's page.

planner works offline; only with consent does an address leave the computer or
a web page get requested. Each question names what would be sent and to whom.
"""

from __future__ import annotations

import enum

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


class WebConsent(enum.Enum):
    """The answer to "Read this page from HOST?"."""

    NO = "no"
    ONCE = "once"
    ALWAYS = "always"
    """Read this page and, from now on, every page given (``[web] fetch = true``)."""


def web_consent_text(hosts: list[str], pages: int = 1) -> tuple[str, str]:
    """The question naming the site(s) ``pages`` links would be read from, and why it asks."""
    sites = ", ".join(hosts[:SHOWN])
    if len(hosts) > SHOWN:
        sites += f" and {len(hosts) - SHOWN} more"
    what = "this page" if pages == 1 else f"{pages} pages"
    question = f"Read {what} from {sites}?"
    detail = (
        "planner reads the event's date, place and price from the page. Reading it asks the "
        "site for the page over the internet, so the site sees the request; nothing is sent "
        "until you agree. “Always” lets planner read every link you add from now on "
        "([web] fetch = true in your settings; you can change it in Settings)."
    )
    return question, detail


def ask_web_consent(parent: QWidget | None, hosts: list[str], pages: int = 1) -> WebConsent:
    """Ask before a link's page is fetched: once, always, or not."""
    question, detail = web_consent_text(hosts, pages)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Read the event's page?")
    box.setText(question)
    box.setInformativeText(detail)
    once = box.addButton("Read it", QMessageBox.ButtonRole.AcceptRole)
    always = box.addButton("Always read pages", QMessageBox.ButtonRole.YesRole)
    box.addButton("Don't read", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(once)
    box.exec()
    clicked = box.clickedButton()
    if clicked is once:
        return WebConsent.ONCE
    if clicked is always:
        return WebConsent.ALWAYS
    return WebConsent.NO
