"""Plans by the timetable, on a small hand-made GO-like feed (tests/transit/plan_feeds.py)
whose answers are known: leave-at times from the timetable, the evening left out because
of the last train, the estimate outside the feed's area or days, and the legs named
wherever a trip is shown."""

import json
import re
from datetime import datetime, timedelta

import pytest

from planner.cli.main import main
from planner.core.calendars.agenda import agenda_text
from planner.core.calendars.attend_list import to_ics
from planner.core.model import Reason
from planner.core.planning.plan import plan_week
from planner.core.travel.service import TravelService
from tests.core.week_builder import at, event, settings
from tests.transit.plan_feeds import FAR_AWAY, HOME_NEAR, VENUE_NEAR, go_line

HOME_TEXT = f"{HOME_NEAR.lat}, {HOME_NEAR.lon}"
VENUE_TEXT = f"{VENUE_NEAR.lat},{VENUE_NEAR.lon}"


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    return go_line(tmp_path_factory.mktemp("gtfs") / "go.zip")


def transit_settings(feed, **more):
    return settings(
        home={"location": HOME_TEXT},
        travel={"mode": "transit"},
        transit={"gtfs": [str(feed)]},
        **more,
    )


def decide(feed, *events, **more):
    rules = transit_settings(feed, **more)
    plan = plan_week([], list(events), rules, at(23, 0).date())
    return plan, {d.event.uid: d for d in plan.decisions}


def test_the_leave_at_time_is_the_journeys_departure_for_the_train(feed):
    _, decisions = decide(feed, event("talk", 24, (19, 0), (21, 0), VENUE_NEAR))
    talk = decisions["talk"]
    assert talk.chosen, talk.explanation
    trip = talk.trip_to
    assert trip.source == "timetable"
    rides = [leg for leg in trip.legs if leg.mode == "ride"]
    assert [(r.depart.strftime("%H:%M"), r.arrive.strftime("%H:%M")) for r in rides] == [
        ("17:53", "18:38")
    ]
    assert talk.leave_at == trip.legs[0].depart
    assert trip.legs[0].mode == "walk" and talk.leave_at < rides[0].depart
    assert "for the 17:53 " in talk.explanation
    assert f"leave home at {talk.leave_at:%H:%M} for the 17:53" in talk.explanation
    # Home by the 21:55: the way back waits at the venue for the train, and says so.
    back = talk.trip_from
    assert [leg.depart.strftime("%H:%M") for leg in back.legs if leg.mode == "ride"] == ["21:55"]
    assert talk.back_at == back.legs[-1].arrive
    assert at(24, 22, 40) < talk.back_at < at(24, 23, 0)
    assert back.overhead_minutes >= 55 - 10  # most of the hour before the train is waiting
    assert talk.back_at == at(24, 21) + timedelta(minutes=back.minutes) or (
        abs((at(24, 21) + timedelta(minutes=back.minutes) - talk.back_at).total_seconds()) < 60
    )


def test_an_evening_after_which_only_the_last_train_runs_says_it(feed):
    _, decisions = decide(
        feed, event("late", 24, (22, 0), (23, 30), VENUE_NEAR), rules__latest_home="22:00"
    )
    late = decisions["late"]
    assert not late.chosen and late.reason is Reason.LATEST_RETURN
    assert re.match(
        r"the last (GO )?LE to Whitby GO leaves Union Station at 23:55; "
        r"you would be home at 00:4\d, after your 22:00 limit",
        late.explanation,
    ), late.explanation


def test_an_evening_that_ends_after_the_last_train_is_left_out_naming_it(feed):
    _, decisions = decide(
        feed, event("later", 24, (22, 30), (23, 59), VENUE_NEAR), rules__latest_home="23:59"
    )
    later = decisions["later"]
    assert not later.chosen and later.reason is Reason.LATEST_RETURN
    assert not later.trip_from.reachable
    assert re.match(
        r"the last (GO )?LE to Whitby GO leaves Union Station at 23:55, and it ends at 23:59: "
        r"nothing gets you home after it before the morning",
        later.explanation,
    ), later.explanation


def test_outside_the_feeds_area_the_estimate_is_used_and_said(feed):
    plan, decisions = decide(feed, event("far", 24, (19, 0), (20, 0), FAR_AWAY))
    far = decisions["far"]
    assert far.trip_to.source == "estimate" and far.trip_to.legs == ()
    said = [p.text for p in plan.problems]
    assert any(
        re.fullmatch(
            r"\d+ transit trips? outside your timetables' area or hours: estimated, "
            r"not timetabled",
            text,
        )
        for text in said
    ), said


def test_on_a_day_the_feed_runs_nothing_the_estimate_is_used(feed):
    service = TravelService(transit_settings(feed))
    saturday = service.trip(HOME_NEAR, VENUE_NEAR, depart=at(28, 17), mode=None)
    assert saturday.source == "estimate" and saturday.reachable


def test_a_chained_evening_uses_the_timetable_between_events(feed):
    service = TravelService(transit_settings(feed))
    trip = service.trip(VENUE_NEAR, HOME_NEAR, depart=at(24, 20, 30))
    assert trip.source == "timetable"
    assert (
        trip.legs[-1].arrive == at(24, 20, 30) + timedelta(minutes=trip.minutes)
        or abs((trip.legs[-1].arrive - at(24, 20, 30)).total_seconds() / 60 - trip.minutes) < 1
    )


def test_agenda_export_and_plan_name_the_legs(feed):
    plan, decisions = decide(feed, event("talk", 24, (19, 0), (21, 0), VENUE_NEAR))
    talk = decisions["talk"]
    ride = re.compile(r"(GO )?LE 17:53 → 18:38 Union Station")
    journey = re.compile(r"walk \d+ min · (GO )?LE 17:53 → 18:38 Union Station · walk \d+ min")
    assert journey.search(agenda_text(plan))
    ics = to_ics(plan).decode()
    unfolded = ics.replace("\r\n ", "")
    assert ride.search(unfolded) and "by the timetable" in unfolded
    before = talk.leave_at - talk.event.start
    minutes = round(-before.total_seconds() / 60)
    assert f"TRIGGER;RELATED=START:-PT{minutes // 60}H{minutes % 60}M" in unfolded or (
        f"TRIGGER;RELATED=START:-PT{minutes}M" in unfolded
    )


def run_travel(feed, tmp_path, capsys, at_text, *extra):
    rules = tmp_path / "settings.toml"
    rules.write_text(f'[home]\nlocation = "{HOME_TEXT}"\n[transit]\ngtfs = ["{feed}"]\n')
    code = main(
        [
            "travel",
            "home",
            VENUE_TEXT,
            "--mode",
            "transit",
            "--at",
            at_text,
            "--settings",
            str(rules),
            *extra,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    return out


def test_travel_json_gives_the_journey(feed, tmp_path, capsys):
    answer = json.loads(run_travel(feed, tmp_path, capsys, "2026-11-24T17:40", "--json"))
    assert answer["source"] == "timetable" and answer["reachable"] is True
    assert answer["depart"].startswith("2026-11-24T17:4") and answer["depart"].endswith("-05:00")
    assert answer["arrive"].startswith("2026-11-24T18:4")
    assert [leg["mode"] for leg in answer["legs"]] == ["walk", "ride", "walk"]
    ride = answer["legs"][1]
    assert ride["from"] == "Union Station" or ride["from"] == "Whitby GO"
    assert (ride["from"], ride["to"]) == ("Whitby GO", "Union Station")
    assert ride["depart"] == "2026-11-24T17:53:00-05:00"
    assert ride["arrive"] == "2026-11-24T18:38:00-05:00"
    assert "LE" in ride["route"]
    assert 0 < answer["overhead_minutes"] < answer["minutes"]
    # Whole minutes, as a clock says them: the walk's seconds round the arrival up, so
    # the time asked plus the minutes is the arrival.
    times = [answer["depart"], answer["arrive"]]
    times += [leg[end] for leg in answer["legs"] for end in ("depart", "arrive")]
    assert all(t[16:19] == ":00" for t in times), times
    asked = datetime.fromisoformat("2026-11-24T17:40-05:00")
    assert datetime.fromisoformat(answer["arrive"]) == asked + timedelta(minutes=answer["minutes"])


def test_travel_text_names_the_legs(feed, tmp_path, capsys):
    out = run_travel(feed, tmp_path, capsys, "2026-11-24T17:40")
    assert "[timetable]" in out
    assert re.search(r"leave 17:4\d: walk \d+ min · (GO )?LE 17:53 → 18:38 Union Station", out)


def test_after_the_last_train_nothing_is_reachable(feed, tmp_path, capsys):
    rules = tmp_path / "settings.toml"
    rules.write_text(f'[home]\nlocation = "{HOME_TEXT}"\n[transit]\ngtfs = ["{feed}"]\n')
    main(
        [
            "travel",
            VENUE_TEXT,
            "home",
            "--mode",
            "transit",
            "--at",
            "2026-11-24T23:58",
            "--settings",
            str(rules),
            "--json",
        ]
    )
    answer = json.loads(capsys.readouterr().out)
    assert answer["reachable"] is False and answer["source"] == "timetable"
    assert answer["depart"] is None and answer["legs"] == []
    assert re.fullmatch(
        r"nothing runs there before the morning: the last (GO )?LE left Union Station at 23:55",
        answer["notes"][-1],
    )


def test_outside_the_area_travel_says_estimate(feed, tmp_path, capsys):
    rules = tmp_path / "settings.toml"
    rules.write_text(f'[home]\nlocation = "{HOME_TEXT}"\n[transit]\ngtfs = ["{feed}"]\n')
    main(
        [
            "travel",
            "home",
            "46.4917,-80.9930",
            "--mode",
            "transit",
            "--at",
            "2026-11-24T17:40",
            "--settings",
            str(rules),
            "--json",
        ]
    )
    answer = json.loads(capsys.readouterr().out)
    assert answer["source"] == "estimate"
    assert [p["message"] for p in answer["problems"]] == [
        "1 transit trip outside your timetables' area or hours: estimated, not timetabled"
    ]


def test_the_users_transfer_time_reaches_the_router(feed):
    service = TravelService(transit_settings(feed, transit__min_transfer_minutes=7))
    assert service.timetables is not None
    assert service.timetables.timetables.network.min_transfer_seconds == 7 * 60


def test_park_and_ride_drives_from_home_to_the_station_and_back(feed):
    from tests.core.week_builder import HOME  # 3.6 km from Whitby GO: too far to walk

    rules = settings(
        travel={"mode": "transit"},
        transit={"gtfs": [str(feed)], "access": "drive"},
    )
    assert rules.home.lat == HOME.lat
    plan = plan_week([], [event("talk", 24, (19, 0), (21, 0), VENUE_NEAR)], rules, at(23, 0).date())
    talk = plan.decisions[0]
    assert talk.trip_to.source == "timetable" and talk.trip_from.source == "timetable"
    assert [leg.mode for leg in talk.trip_to.legs][:2] == ["drive", "ride"]
    assert talk.trip_to.legs[0].origin == "home"
    assert [leg.mode for leg in talk.trip_from.legs][-2:] == ["ride", "drive"]
    assert talk.trip_from.legs[-1].destination == "home"


def _held_at_home_until(hour: int, minute: int):
    """A call at home that ends after the train the evening needs has left."""
    return event("call", 24, (17, 0), (hour, minute), HOME_NEAR, summary="Call with Sam")


def test_arriving_late_takes_the_next_train_not_the_missed_one(feed):
    """The 17:53 is the train for a 19:00 talk; a call until 17:55 misses it. The
    estimate's answer (leave at 17:55, a few minutes late) is not how trains run: the
    next is the 18:53, arriving 19:38, so 15 minutes late is not enough and 60 is."""
    talk = event("talk", 24, (19, 0), (21, 0), VENUE_NEAR)
    strict = transit_settings(feed, rules__late_minutes=15)
    plan = plan_week([_held_at_home_until(17, 55)], [talk], strict, at(23, 0).date())
    (left_out,) = plan.decisions
    assert not left_out.chosen and left_out.reason is Reason.TRAVEL
    assert re.search(
        r"you would arrive at 19:4\d for a 19:00 start: the next way is the 18:53 GO LE, "
        r"transit 5\d min, 4\d min late \(you allow 15 min late\)",
        left_out.explanation,
    ), left_out.explanation
    easy = transit_settings(feed, rules__late_minutes=60)
    plan = plan_week([_held_at_home_until(17, 55)], [talk], easy, at(23, 0).date())
    (chosen,) = plan.decisions
    assert chosen.chosen, chosen.explanation
    rides = [leg for leg in chosen.trip_to.legs if leg.mode == "ride"]
    assert [r.depart.strftime("%H:%M") for r in rides] == ["18:53"]
    assert at(24, 18, 40) < chosen.leave_at < at(24, 18, 53)  # the walk to the 18:53
    assert re.match(
        r"fits: you would arrive at 19:4\d, 4\d min late \(you allow 60 min late\): "
        r"leave home at 18:\d\d for the 18:53 GO LE",
        chosen.explanation,
    ), chosen.explanation


def test_a_call_that_ends_in_time_for_the_same_train_is_not_late(feed):
    talk = event("talk", 24, (19, 0), (21, 0), VENUE_NEAR)
    rules = transit_settings(feed, rules__late_minutes=15)
    plan = plan_week([_held_at_home_until(17, 30)], [talk], rules, at(23, 0).date())
    (chosen,) = plan.decisions
    assert chosen.chosen and "late" not in chosen.explanation, chosen.explanation
    assert "for the 17:53 GO LE" in chosen.explanation


def test_plan_json_gives_each_way_by_the_timetable(feed):
    from planner.core.planning.report import plan_json

    plan, _ = decide(feed, event("talk", 24, (19, 0), (21, 0), VENUE_NEAR))
    (talk,) = plan_json(plan)["candidates"]
    assert talk["travel_source"] == "timetable"
    rides = [leg for leg in talk["travel_to_legs"] if leg["mode"] == "ride"]
    assert rides == [
        {
            "mode": "ride",
            "from": "Whitby GO",
            "to": "Union Station",
            "depart": "2026-11-24T17:53:00-05:00",
            "arrive": "2026-11-24T18:38:00-05:00",
            "route": "GO LE",
        }
    ]
    assert talk["travel_to_legs"][0]["depart"] == talk["leave_at"]
    back = [leg["depart"] for leg in talk["travel_from_legs"] if leg["mode"] == "ride"]
    assert back == ["2026-11-24T21:55:00-05:00"]
    json.dumps(plan_json(plan))  # all of it plain JSON


def test_the_repeated_hour_when_clocks_go_back_is_two_trips(tmp_path):
    """01:05 happens twice on 1 Nov 2026 (EDT, then EST), and the two compare equal: the
    trip asked at the second is not the one remembered for the first, which left before."""
    from zoneinfo import ZoneInfo

    from planner.core.model import Place
    from tests.transit.feeds import at as point
    from tests.transit.feeds import line_feed, stop, write_feed

    line = [stop("W", "Whitby", 0), stop("U", "Union", 40)]
    night = {
        "n1": ("LE", "WE", [("W", "00:30"), ("U", "01:15")]),  # 01:30 EDT
        "n2": ("LE", "WE", [("W", "01:10"), ("U", "01:55")]),  # 01:10 EST
    }
    feed = write_feed(tmp_path / "night.zip", line_feed(line, night))
    (lat, lon), (far_lat, far_lon) = point(0), point(40.3)
    service = TravelService(
        settings(
            home={"location": f"{lat}, {lon}"},
            travel={"mode": "transit"},
            transit={"gtfs": [str(feed)]},
        )
    )
    home, venue = Place("home", lat=lat, lon=lon), Place("venue", lat=far_lat, lon=far_lon)
    first = datetime(2026, 11, 1, 1, 5, tzinfo=ZoneInfo("America/Toronto"))
    second = first.replace(fold=1)
    edt = service.trip(home, venue, depart=first)
    est = service.trip(home, venue, depart=second)
    assert edt.source == est.source == "timetable"
    assert edt.legs[0].depart.timestamp() >= first.timestamp()
    assert est.legs[0].depart.timestamp() >= second.timestamp()


def test_held_until_after_the_last_train_there_says_nothing_runs(feed):
    """The last train towards Union leaves Whitby at 21:53; a call at home until 22:00
    leaves no way to a 23:00 talk downtown, and the reason says so rather than an
    arrival no train gives."""
    talk = event("talk", 24, (23, 0), (23, 40), VENUE_NEAR)
    rules = transit_settings(feed, rules__latest_home="23:59")
    plan = plan_week([_held_at_home_until(22, 0)], [talk], rules, at(23, 0).date())
    (left_out,) = plan.decisions
    assert not left_out.chosen and left_out.reason is Reason.TRAVEL
    assert left_out.explanation == (
        "Call with Sam ends at 22:00, and nothing runs from home after it that gets you "
        "there before the morning"
    ), left_out.explanation
