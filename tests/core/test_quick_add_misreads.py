"""Quick add's silent misreads, one class at a time, in the four languages it reads.

Each table is line -> what must be read, against the week on screen of
Monday 23 November 2026, 09:00 in Toronto (never the clock). The classes
come from lines seen misread in the window: a name taken for a weekday
("Drinks with Sam tonight 9pm" on Saturday), a price missed ("$150" after
"17:00" read as free), a platform not taken as online, an ordinal weekday
of a month read as this week's, "10/12" sent a year away; and the rule
that whatever was inferred rather than read is marked for the user to check.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Place
from planner.core.settings import CategoryRule, Settings
from planner.core.text.quick_add import Parsed, Part, parse_line, parse_lines, read_cost_text
from planner.core.text.quick_add import read_place_text as place_of
from tests.core.test_quick_add import CASES, Want

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 11, 23, 9, 0, tzinfo=TORONTO)
SETTINGS = Settings(
    timezone="America/Toronto",
    categories={name: CategoryRule() for name in ("professional", "social", "tech")},
)
NO_DAY = "a time but no day"


def read(text: str, reference: datetime = REFERENCE) -> Parsed:
    return parse_line(text, settings=SETTINGS, reference=reference)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TORONTO)


class When(NamedTuple):
    title: str
    start: str
    """ "2026-11-23 21:00" in Toronto, or a reason the line is refused."""


# --- Names are not days -----------------------------------------------------------------

NAMES_AND_DAYS: list[tuple[str, When]] = [
    # English: the lines of the report, and names that look like days or months.
    ("Drinks with Sam tonight 9pm", When("Drinks with Sam", "2026-11-23 21:00")),
    ("Drinks with Sam 9pm", When("", NO_DAY)),
    ("Drinks with Sam Thu 9pm", When("Drinks with Sam", "2026-11-26 21:00")),
    ("Party on Sam's boat Sat 7pm", When("Party on Sam's boat", "2026-11-28 19:00")),
    ("Lunch with Mo tomorrow 12:30", When("Lunch with Mo", "2026-11-24 12:30")),
    ("Lunch with Mo 12:30", When("", NO_DAY)),
    ("Lunch with May 12:30 Thu", When("Lunch with May", "2026-11-26 12:30")),
    ("Coffee with May 8am tomorrow", When("Coffee with May", "2026-11-24 08:00")),
    ("Coffee with May Thu 8am", When("Coffee with May", "2026-11-26 08:00")),
    ("Wedding planning meetup Wed 7pm", When("Wedding planning meetup", "2026-11-25 19:00")),
    ("Wedding planning meetup 7pm", When("", NO_DAY)),
    ("Mario Kart night tomorrow 7pm", When("Mario Kart night", "2026-11-24 19:00")),
    ("Mar and Tom's farewell tonight 8pm", When("Mar and Tom's farewell", "2026-11-23 20:00")),
    ("Sun Life Financial mixer Thu 6pm", When("Sun Life Financial mixer", "2026-11-26 18:00")),
    ("Sun Life Financial mixer 6pm", When("", NO_DAY)),
    ("Black Friday party tonight 8pm", When("Black Friday party", "2026-11-23 20:00")),
    ("Drinks Fri 6pm", When("Drinks", "2026-11-27 18:00")),
    # French: "sam" is samedi in a French line, a name in an English one.
    ("Apéro avec Sam ce soir 19h", When("Apéro avec Sam", "2026-11-23 19:00")),
    ("Apéro sam 18h", When("Apéro", "2026-11-28 18:00")),
    ("Afterwork mer. 18h", When("Afterwork", "2026-11-25 18:00")),
    ("Afterwork Thu 18h30 au Bar Furco", When("Afterwork", "2026-11-26 18:30")),
    ("Dîner avec Mario mercredi 20h", When("Dîner avec Mario", "2026-11-25 20:00")),
    # Spanish: "Mar" is a name, "jue" a Thursday.
    ("Cena con Mar esta noche 21h", When("Cena con Mar", "2026-11-23 21:00")),
    ("Cena jue 21h", When("Cena", "2026-11-26 21:00")),
    ("Tapas con Dom a las 21h", When("", NO_DAY)),
    # German: "Mo", "Do", "So" are days beside "Uhr", names or words in other lines.
    ("Stammtisch mit Mo heute Abend 19 Uhr", When("Stammtisch mit Mo", "2026-11-23 19:00")),
    ("Stammtisch Do 18 Uhr", When("Stammtisch", "2026-11-26 18:00")),
    ("Brunch So 11 Uhr", When("Brunch", "2026-11-29 11:00")),
    ("Do you want to grab drinks 6pm", When("", NO_DAY)),
]


@pytest.mark.parametrize(("text", "want"), NAMES_AND_DAYS, ids=[t for t, _ in NAMES_AND_DAYS])
def test_names_are_not_days(text: str, want: When) -> None:
    if want.start == NO_DAY:
        with pytest.raises(ValueError, match=NO_DAY):
            read(text)
        return
    event = read(text).event
    assert (event.summary, event.start) == (want.title, at(want.start))


# --- Tonight, in the four languages -------------------------------------------------------

TONIGHT: list[tuple[str, str]] = [
    ("Founders drinks tonight", "Founders drinks"),
    ("Founders drinks this evening", "Founders drinks"),
    ("Apéro des fondateurs ce soir", "Apéro des fondateurs"),
    ("Cena de fundadores esta noche", "Cena de fundadores"),
    ("Gründerstammtisch heute Abend", "Gründerstammtisch"),
]


@pytest.mark.parametrize(("text", "title"), TONIGHT, ids=[t for t, _ in TONIGHT])
def test_tonight_is_today_in_the_evening_and_the_start_is_marked(text: str, title: str) -> None:
    parsed = read(text)
    assert (parsed.event.summary, parsed.event.start) == (title, at("2026-11-23 19:00"))
    assert parsed.assumed_about("start") == ("“tonight”: 19:00 assumed",)


# --- A price is a price whatever its notation ------------------------------------------

PRICES: list[tuple[str, float]] = [
    ("Agile Tour Thu 09:00-17:00 $150 #conference", 150),
    ("Agile Tour Thu 150$", 150),
    ("Agile Tour Thu 150 $", 150),
    ("Agile Tour Thu CAD 150", 150),
    ("Agile Tour Thu 150 CAD", 150),
    ("Agile Tour Thu USD 20", 20),
    ("Agile Tour Thu CA$150", 150),
    ("Agile Tour Thu US$ 150", 150),
    ("Agile Tour Thu 150 dollars", 150),
    ("Agile Tour Thu $1,200", 1200),
    ("Agile Tour Thu $1,200.50", 1200.5),
    ("Agile Tour Thu 9am, tickets: 120", 120),
    ("Agile Tour jeudi 9h-17h €150", 150),
    ("Agile Tour jeudi 9h-17h 150 €", 150),
    ("Agile Tour jeudi 9h-17h 15,50 €", 15.5),
    ("Agile Tour jeudi 9h-17h 1 200 €", 1200),
    ("Agile Tour jeudi 9h-17h, prix : 45", 45),
    ("Agile Tour jueves 9:00-17:00 25 euros", 25),
    ("Agile Tour jueves 9:00-17:00 EUR 30", 30),
    ("Agile Tour Do 9-17 Uhr 1.200,50 €", 1200.5),
    ("Agile Tour Do 9-17 Uhr, Preis: 12,50 €", 12.5),
    ("Agile Tour Do 9-17 Uhr 25 Euro", 25),
]


@pytest.mark.parametrize(("text", "cost"), PRICES, ids=[t for t, _ in PRICES])
def test_a_price_is_read_whatever_its_notation(text: str, cost: float) -> None:
    parsed = read(text)
    assert parsed.event.cost == cost
    assert parsed.event.summary == "Agile Tour"


NOT_PRICES = [
    "Bar night Thu 8pm, admission 19+",
    "Agile Tour Thu 09:00-17:00, room 150",
    "Entrée jeudi 18h, salle 3",
    "Eintritt Do 19 Uhr",
    "Top 10 startups pitch Thu 6pm",
]


@pytest.mark.parametrize("text", NOT_PRICES)
def test_numbers_that_are_no_price_are_not_read_as_one(text: str) -> None:
    parsed = read(text)
    assert parsed.event.cost is None
    assert parsed.spans_of("cost") == ()
    assert "19+" not in parsed.event.place.label


def test_the_price_after_a_time_range_is_not_taken_for_the_range() -> None:
    """The report: "17:00 $150" gave "00 $", and the event came out at $0, free."""
    parsed = read("Agile Tour Thu 09:00-17:00 $150 #conference")
    event = parsed.event
    assert (event.start, event.end, event.cost) == (
        at("2026-11-26 09:00"),
        at("2026-11-26 17:00"),
        150,
    )
    text = parsed.text
    assert [text[s:e] for s, e in parsed.spans_of("cost")] == ["$150"]


@pytest.mark.parametrize(
    ("text", "cost"),
    [("CAD 150", 150), ("150 USD", 150), ("150$", 150), ("$1,200", 1200), ("1.200,50 €", 1200.5)],
)
def test_a_price_typed_in_the_preview_reads_the_same_way(text: str, cost: float) -> None:
    assert read_cost_text(text) == cost


# --- Meeting platforms mean online -----------------------------------------------------

ONLINE: list[tuple[str, str]] = [
    ("Standup Thu 9am on Zoom", "Zoom"),
    ("Design review Thu 3pm (Microsoft Teams)", "Microsoft Teams"),
    ("Standup Thu 9am Google Meet", "Google Meet"),
    ("Standup Thu 9am via Webex", "Webex"),
    ("Office hours Thu 2pm via Jitsi", "Jitsi"),
    ("Coffee chat Thu 10am on Whereby", "Whereby"),
    ("Sales training Thu 1pm – GoToMeeting", "GoToMeeting"),
    ("Town hall Thu 11am, virtual", "virtual"),
    ("Python Toronto Thu 7pm – online", "online"),
    ("Conférence IA jeudi 10h en ligne", "en ligne"),
    ("Atelier jeudi 10h sur Teams", "Teams"),
    ("Reunión jueves 10h en línea", "en línea"),
    ("Charla jueves 19h por Zoom", "Zoom"),
    ("Treffen Do 10 Uhr virtuell", "virtuell"),
    ("Treffen Do 10 Uhr über Webex", "Webex"),
]


@pytest.mark.parametrize(("text", "place"), ONLINE, ids=[t for t, _ in ONLINE])
def test_meeting_platforms_mean_online(text: str, place: str) -> None:
    event = read(text).event
    assert event.place == Place(name=place, virtual=True)
    assert event.start.date() == date(2026, 11, 26)


@pytest.mark.parametrize(
    "text",
    ["Whereby", "GoToMeeting", "Google Meet", "Jitsi", "en ligne", "en línea", "virtuell"],
)
def test_a_platform_typed_as_the_place_in_the_preview_is_online(text: str) -> None:
    assert place_of(text, SETTINGS).virtual


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Zoom into AI meetup Thu 6pm @ MaRS, 101 College St", "Zoom into AI meetup"),
        ("Building Great Teams Thu 6pm @ 100 King St W", "Building Great Teams"),
    ],
)
def test_a_platform_in_a_title_with_a_place_is_not_online(text: str, title: str) -> None:
    event = read(text).event
    assert event.summary == title
    assert not event.place.virtual


# --- Ordinal weekdays of a month are dates ---------------------------------------------


class Nth(NamedTuple):
    title: str
    day: str
    note: str = ""


ORDINALS: list[tuple[str, Nth]] = [
    (
        "Meetup the second Wednesday of January 6pm",
        Nth("Meetup", "2027-01-13", "no year: the next one, Wednesday 13 January 2027"),
    ),
    ("Tech talk the first Monday of December 6pm", Nth("Tech talk", "2026-12-07")),
    ("Board games last Sunday of December 2pm", Nth("Board games", "2026-12-27")),
    ("Tech talk the 3rd Thu of next month 6pm", Nth("Tech talk", "2026-12-17")),
    ("Design jam 2nd Tuesday in January 2027 6pm", Nth("Design jam", "2027-01-12")),
    (
        "Meetup last Friday of the month 6pm",
        Nth("Meetup", "2026-11-27", "“last Friday of the month” read as November's"),
    ),
    (
        "Python meetup every 2nd Tuesday of the month 7pm",
        Nth("Python meetup", "2026-12-08", "read as December's"),  # November's has passed
    ),
    (
        "Meetup le deuxième mercredi de janvier 18h",
        Nth("Meetup", "2027-01-13", "no year: the next one, Wednesday 13 January 2027"),
    ),
    (
        "Apéro le dernier vendredi du mois 18h",
        Nth("Apéro", "2026-11-27", "“le dernier vendredi du mois” read as November's"),
    ),
    ("Soirée le premier lundi de décembre 19h", Nth("Soirée", "2026-12-07")),
    ("Meetup el segundo miércoles de enero a las 19:00", Nth("Meetup", "2027-01-13")),
    (
        "Charla el último viernes del mes 18h",
        Nth("Charla", "2026-11-27", "“el último viernes del mes” read as November's"),
    ),
    ("Taller el primer lunes de diciembre 19h", Nth("Taller", "2026-12-07")),
    ("Stammtisch am zweiten Mittwoch im Januar 19 Uhr", Nth("Stammtisch", "2027-01-13")),
    (
        "Stammtisch jeden ersten Montag im Monat 19 Uhr",
        Nth("Stammtisch", "2026-12-07", "a series: the next one, Monday 7 December 2026, taken"),
    ),
    ("Meetup letzten Freitag im Monat 18 Uhr", Nth("Meetup", "2026-11-27")),
    (
        "Board games night the first Monday of each month 7pm",
        Nth("Board games night", "2026-12-07", "a series: the next one"),
    ),
    (
        "Club de lecture le premier mardi de chaque mois 19h",
        Nth("Club de lecture", "2026-12-01", "a series: the next one"),
    ),
    ("Club de lectura el primer martes de cada mes 19h", Nth("Club de lectura", "2026-12-01")),
]


@pytest.mark.parametrize(("text", "want"), ORDINALS, ids=[t for t, _ in ORDINALS])
def test_ordinal_weekdays_of_a_month_are_dates(text: str, want: Nth) -> None:
    parsed = read(text)
    assert parsed.event.summary == want.title
    assert parsed.event.start.date() == date.fromisoformat(want.day)
    if want.note:
        assert any(want.note in note for note in parsed.assumed_about("day")), parsed.assumed


def test_an_ordinal_weekday_a_month_lacks_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="February 2027 has no fifth Monday"):
        read("Meetup the fifth Monday of February 2027 6pm")
    with pytest.raises(ValueError, match="February has no fifth Monday this year or next"):
        read("Meetup the fifth Monday of February 6pm")


def test_a_fifth_weekday_next_month_lacks_is_the_next_months_and_marked() -> None:
    parsed = read("Hack day the fifth Friday of next month 10am")  # December has four
    assert parsed.event.start == at("2027-01-29 10:00")
    assert any("read as January's" in note for note in parsed.assumed_about("day"))


def test_last_friday_without_a_month_is_no_ordinal_of_a_month() -> None:
    """ "last Friday" alone is no date to come: it stays a weekday, this week's."""
    parsed = read("Retro last Friday 3pm")
    assert parsed.event.start == at("2026-11-27 15:00")


# --- Day/month order: the nearer date, marked -------------------------------------------


class Order(NamedTuple):
    day: str
    note: str


ORDERS: list[tuple[str, datetime, Order]] = [
    # The report: "10/12" went to 12 October of next year; 10 December is 17 days away.
    (
        "Party 10/12 7pm",
        REFERENCE,
        Order("2026-12-10", "“10/12” read as day/month, 10 December: nearer than 12 October 2027"),
    ),
    (
        "Party 12/10 7pm",
        REFERENCE,
        Order("2026-12-10", "“12/10” read as month/day, 10 December: nearer than 12 October 2027"),
    ),
    # Seen from the week of 5 October, 12 October is the nearer one.
    (
        "Party 10/12 7pm",
        datetime(2026, 10, 5, 9, 0, tzinfo=TORONTO),
        Order("2026-10-12", "“10/12” read as month/day, 12 October: nearer than 10 December 2026"),
    ),
    (
        "Soirée 10/12 à 19h",
        REFERENCE,
        Order("2026-12-10", "read as day/month, 10 December"),
    ),
    (
        "Fiesta 10/12 a las 20h",
        REFERENCE,
        Order("2026-12-10", "read as day/month, 10 December"),
    ),
    (
        "Party 10/12/2026 7pm",
        REFERENCE,
        Order("2026-12-10", "nearer than 12 October 2026"),
    ),
]


@pytest.mark.parametrize(
    ("text", "reference", "want"), ORDERS, ids=[f"{t} {r:%d %b}" for t, r, _ in ORDERS]
)
def test_day_and_month_order_is_the_nearer_date_and_marked(
    text: str, reference: datetime, want: Order
) -> None:
    parsed = read(text, reference)
    assert parsed.event.start.date() == date.fromisoformat(want.day)
    assert any(want.note in note for note in parsed.assumed_about("day")), parsed.assumed


def test_an_unambiguous_date_in_numbers_is_not_marked_as_a_guess() -> None:
    parsed = read("Party 26/11/2026 7pm")
    assert parsed.event.start.date() == date(2026, 11, 26)
    assert parsed.assumed_about("day") == ()


def test_a_german_dotted_date_is_day_first_whatever_is_nearer() -> None:
    parsed = read("Stammtisch 10.12. 19 Uhr", datetime(2026, 10, 5, 9, 0, tzinfo=TORONTO))
    assert parsed.event.start.date() == date(2026, 12, 10)


# --- Every inferred field is marked -----------------------------------------------------

INFERRED: list[tuple[str, Part, str]] = [
    ("Founders drinks tonight", "start", "“tonight”: 19:00 assumed"),
    ("Coffee chat, Thu", "start", "no start time: 17:00 assumed"),
    ("Founders drinks Thursday at 8", "start", "no am/pm: 8 read as 20:00"),
    ("Workshop Thu 11-1pm", "start", "no am/pm: read as 11:00–13:00"),
    ("Coffee chat Thu 3pm", "end", "no end time: 90 minutes assumed"),
    ("Coffee chat Thu 3pm", "place", "no place given"),
    ("Coffee chat Mon 8am", "day", "“Mon” read as next week's, 30 November: today's has begun"),
    ("Standup party Nov 20 6pm", "day", "no year: the next 20 November (2027)"),
    ("Party 10/12 7pm", "day", "read as day/month"),
    ("Meetup last Friday of the month 6pm", "day", "read as November's"),
    ("Summit Dec 8-9 9am", "day", "several days (to the 9): the first, 8 December, taken"),
    (
        "Standup Thu 9:30am https://teams.microsoft.com/l/meetup-join/abc",
        "place",
        "online, from the meeting link",
    ),
    ("Webinar: pricing for SaaS Thu 1pm", "place", "online, as a webinar"),
    ("Gala Thu 7pm $20-30", "cost", "a price range ($20-30): the lowest, $20, taken"),
    ("Hack night Thu 7pm #hackathon", "category", "“hackathon” is not one of your categories"),
    ("Webinar Thu 1pm PST", "start", "written in PST: 13:00 there is 16:00 here"),
]


@pytest.mark.parametrize(("text", "part", "note"), INFERRED, ids=[t for t, _, _ in INFERRED])
def test_every_inference_is_marked_on_its_part(text: str, part: Part, note: str) -> None:
    parsed = read(text)
    assert any(note in assumed for assumed in parsed.assumed_about(part)), parsed.assumed


ALL_LINES = [text for text, want in CASES if isinstance(want, Want)] + [
    text for text, want in NAMES_AND_DAYS if want.start != NO_DAY
]


@pytest.mark.parametrize("text", ALL_LINES, ids=[t[:40] for t in ALL_LINES])
def test_a_part_not_read_from_the_line_is_marked(text: str) -> None:
    """A day, start, end or place with no span in the line was chosen, not read: it
    carries an assumption, which the preview marks with ⚠."""
    parsed = read(text)
    parts: tuple[Part, ...] = ("day", "start", "end", "place")
    for part in parts:
        if not parsed.spans_of(part):
            assert parsed.assumed_about(part), (part, parsed.assumed)


def test_a_pasted_list_reads_these_forms_too() -> None:
    parsed, failed = parse_lines(
        "Drinks with Sam tonight 9pm\n"
        "Agile Tour Thu 09:00-17:00 $150 #conference\n"
        "Standup Fri 9am Whereby\n"
        "Meetup the second Wednesday of January 6pm\n"
        "Party 10/12 7pm\n",
        settings=SETTINGS,
        reference=REFERENCE,
    )
    assert failed == []
    assert [(p.event.start, p.event.cost, p.event.place.virtual) for p in parsed] == [
        (at("2026-11-23 21:00"), None, False),
        (at("2026-11-26 09:00"), 150, False),
        (at("2026-11-27 09:00"), None, True),
        (at("2027-01-13 18:00"), None, False),
        (at("2026-12-10 19:00"), None, False),
    ]
