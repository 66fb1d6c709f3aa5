"""The README's examples, run as a user would, so that the contract with users cannot go
stale silently (as recurring-ical-events tests its README).

The README marks what is checked with an HTML comment before it:

- ``<!-- readme-test: output -->`` before a block of ``$ planner ...`` commands, each
  followed by the output it prints (stdout and stderr together, as a terminal shows them).
  Every block runs in fresh data, config, cache and log folders, from the repository's
  root; a line ``...`` in the shown output stands for any number of lines. A command may
  continue over several lines inside its quotes.
- ``<!-- readme-test: settings -->`` before the first-week ``settings.toml``, which must
  read as settings.
- ``<!-- readme-test: plan-json-keys -->`` before the paragraph naming the keys of
  ``planner plan --json``, which must name every key the plan prints.

When a command's output changes on purpose, copy the new output into the README.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.core.model import Leg, Problem, Severity
from planner.core.settings import load_settings
from tests.e2e.test_cli import planner_command

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PROXIES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
ANY_LINES = "..."
JSON_VALUES_NAMED = {
    "event",
    "flexible",
    "chosen",
    "left_out",
    *(s.value for s in Severity),
    *("estimate", "router", "override", "timetable"),  # travel_source
}
"""Words the key paragraph shows in backticks as values of a key, not as keys."""


def marked(kind: str) -> list[tuple[int, str]]:
    """(line number of the marker, the README text after it) for each marker of ``kind``."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(rf"<!-- readme-test: {re.escape(kind)} -->\n", text):
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, text[match.end() :]))
    return found


def fenced(after: str) -> str:
    """The content of the fenced block that ``after`` starts with."""
    match = re.match(r"```[a-z]*\n(.*?)\n```\n", after, re.DOTALL)
    assert match is not None, "a readme-test marker must stand right before a fenced block"
    return match.group(1)


@dataclass(frozen=True)
class Example:
    command: list[str]
    shown: list[str]


def examples(block: str) -> list[Example]:
    """The commands of a block, each with the lines shown after it."""
    out: list[Example] = []
    lines = block.split("\n")
    at = 0
    while at < len(lines):
        line = lines[at]
        assert line.startswith("$ "), f"expected a `$ planner ...` line, got {line!r}"
        text = line[2:]
        at += 1
        while True:  # a quoted argument may go on over several lines
            try:
                argv = shlex.split(text)
                break
            except ValueError:
                assert at < len(lines), f"unclosed quote in {text!r}"
                text += "\n" + lines[at]
                at += 1
        shown = []
        while at < len(lines) and not lines[at].startswith("$ "):
            shown.append(lines[at])
            at += 1
        out.append(Example(argv, shown))
    return out


def output_blocks() -> list[pytest.param]:
    return [
        pytest.param(examples(fenced(after)), id=f"README.md:{line}")
        for line, after in marked("output")
    ]


def user_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXIES}
    return env | {
        "PLANNER_DATA_DIR": str(root / "data"),
        "PLANNER_CONFIG_DIR": str(root / "config"),
        "PLANNER_CACHE_DIR": str(root / "cache"),
        "PLANNER_LOG_DIR": str(root / "logs"),
        "QT_QPA_PLATFORM": "offscreen",
        "COLUMNS": "100",  # the plan's table wraps at the terminal's width
        "PYTHONUNBUFFERED": "1",  # stdout and stderr interleaved as on a terminal
    }


def run(argv: list[str], env: dict[str, str]) -> str:
    assert argv[0] == "planner", f"the README shows planner commands only: {argv}"
    done = subprocess.run(
        [planner_command(), *argv[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stdout, done.stdout
    return done.stdout


def normalised(output: str, root: Path) -> list[str]:
    """The output's lines as the README shows them: no trailing spaces, the test's own
    folders and the repository's path written as a reader's would be."""
    text = output.replace(str(root), "~").replace(f"{ROOT}/", "")
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip() else []


def matches(shown: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``shown``, each ``...`` line standing for any number of lines."""
    shown = [line.rstrip() for line in shown]
    pieces: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == ANY_LINES:
            pieces.append([])
        else:
            pieces[-1].append(line)
    if len(pieces) == 1:
        return shown == actual
    first, *middle, last = pieces
    if actual[: len(first)] != first:
        return False
    if last and actual[len(actual) - len(last) :] != last:
        return False
    at, end = len(first), len(actual) - len(last)
    for piece in middle:
        for start in range(at, end - len(piece) + 1):
            if actual[start : start + len(piece)] == piece:
                at = start + len(piece)
                break
        else:
            return False
    return at <= end


@pytest.mark.parametrize("block", output_blocks())
def test_the_readme_command_examples_print_what_it_shows(block, tmp_path):
    env = user_env(tmp_path)
    for example in block:
        actual = normalised(run(example.command, env), tmp_path)
        assert matches(example.shown, actual), (
            f"$ {shlex.join(example.command)}\n--- the README shows:\n"
            + "\n".join(example.shown)
            + "\n--- it prints:\n"
            + "\n".join(actual)
        )


def test_the_readme_marks_the_examples_it_checks():
    blocks = output_blocks()
    commands = [e.command[:2] for p in blocks for e in p.values[0]]
    assert len(blocks) >= 4, "the README's checked examples went missing"
    assert ["planner", "plan"] in commands and ["planner", "travel"] in commands


def test_the_ellipsis_matches_any_lines_in_order():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "c", "...", "e"], ["a", "b", "c", "d", "e"])
    assert matches(["a", "..."], ["a"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert not matches(["a", "...", "c", "...", "b"], ["a", "b", "c"])


def test_the_first_week_settings_in_the_readme_validate(tmp_path):
    [(_line, after)] = marked("settings")
    path = tmp_path / "settings.toml"
    path.write_text(fenced(after), encoding="utf-8")
    settings = load_settings(path)
    assert settings.home.has_position
    [office] = settings.places
    assert office.place.name == "office" and office.place.has_position
    assert office.match == ("office", "Markham")
    assert settings.weekly_hours == 4
    # and planner plans a week with it
    week = run(
        [
            "planner",
            "plan",
            "--commitments",
            "resources/demo/commitments.ics",
            "--candidates",
            "resources/demo/candidates.ics",
            "--settings",
            str(path),
            "--week",
            "2026-11-23",
        ],
        user_env(tmp_path),
    )
    assert week.startswith("Week of Monday 23 November 2026 (America/Toronto)")


def test_the_readme_names_every_key_planner_plan_json_prints(tmp_path):
    [(_line, after)] = marked("plan-json-keys")
    paragraph = after.split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", paragraph))

    # The demo's rules with a weekly target and flexible time, so every array has entries.
    demo = (ROOT / "resources" / "demo" / "settings.toml").read_text(encoding="utf-8")
    assert "[categories.professional]\n" in demo
    rules = demo.replace(
        "[categories.professional]\n", "[categories.professional]\nmin_per_week = 1\n"
    )
    rules += (
        '\n[[flexible]]\nname = "Coffee or call"\nminutes = 60\ntimes_per_week = 2\n'
        'days = ["mon", "tue", "wed", "thu", "fri"]\nfrom = "12:00"\nto = "14:00"\n'
    )
    settings = tmp_path / "rules.toml"
    settings.write_text(rules, encoding="utf-8")
    printed = run(
        [
            "planner",
            "plan",
            "--commitments",
            "resources/demo/commitments.ics",
            "--candidates",
            "resources/demo/candidates.ics",
            "--settings",
            str(settings),
            "--week",
            "2026-11-23",
            "--json",
        ],
        user_env(tmp_path),
    )
    plan = json.loads(printed)
    assert plan["targets"] and plan["flexible"] and plan["candidates"]
    keys = set(plan) | set(plan["budget"])
    for array in ("targets", "flexible", "candidates"):
        keys |= {key for entry in plan[array] for key in entry}
    # Every calendar here is read, so ``problems`` is empty: its entries are Problem.as_json().
    assert plan["problems"] == []
    keys |= set(Problem("x.ics", "text", 1, Severity.WARNING).as_json())
    # The demo goes by car: no journey by the timetable, so its legs are Leg.as_json().
    noon = datetime(2026, 11, 23, 12, tzinfo=UTC)
    keys |= set(Leg("ride", "Whitby GO", "Union Station", noon, noon, "GO LE").as_json())
    assert keys - named == set(), "keys planner prints that the README does not name"
    assert named - keys - JSON_VALUES_NAMED == set(), "keys the README names that are not printed"
