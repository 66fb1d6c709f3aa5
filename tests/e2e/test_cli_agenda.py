"""``planner plan --agenda``: the printable week, written by the installed command."""

import pytest

from tests.e2e.test_cli import run

pytestmark = pytest.mark.e2e


def test_plan_demo_writes_the_agenda_beside_the_table(tmp_path):
    agenda = tmp_path / "week.html"
    result = run("plan", "--demo", "--agenda", str(agenda))
    assert result.returncode == 0, result.stderr
    assert "PROPOSED" in result.stdout  # the table is still printed
    page = agenda.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>Agenda: week of Monday 23 November 2026</h1>" in page
    assert "Leave the office at 17:15" in page
    assert "Back home by 20:42" in page
    assert 'href="https://lu.ma/durhamtech-coffee"' in page
    assert "<script" not in page


def test_agenda_with_json_and_the_other_exports(tmp_path):
    files = {name: tmp_path / name for name in ("a.ics", "a.csv", "a.html")}
    result = run(
        "plan",
        "--demo",
        "--json",
        "--week",
        "2027-03-17",
        "--export",
        str(files["a.ics"]),
        "--csv",
        str(files["a.csv"]),
        "--agenda",
        str(files["a.html"]),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("{")
    assert all(path.stat().st_size for path in files.values())
    assert "Agenda: week of Monday 15 March 2027" in files["a.html"].read_text(encoding="utf-8")


def test_an_agenda_that_cannot_be_written_is_a_message(tmp_path):
    target = tmp_path / "no such folder" / "week.html"
    result = run("plan", "--demo", "--agenda", str(target))
    assert result.returncode == 1
    assert f"planner: cannot write {target}: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
