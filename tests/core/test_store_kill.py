"""An acknowledged decision survives the process being killed at any moment.

A child process writes decisions in a loop and prints each key only after
the store's method has returned (committed). The parent kills it with
SIGKILL at a random moment, many times over the same database, then checks
that the database opens, passes SQLite's integrity check, and holds every
key that was acknowledged, and that a multi-row write is there whole or not
at all. The same holds for the window's way of writing: a session on the
background writer acknowledges a decision once :meth:`Session.flush` returned.
"""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planner.core.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 24

CHILD = """
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.core.model import Event
from planner.core.storage.store import Store

path, round_ = sys.argv[1], int(sys.argv[2])
start = datetime(2025, 5, 6, 18, tzinfo=ZoneInfo("America/Toronto"))
with Store.open(path) as store:
    print("ready", flush=True)
    i = 0
    while True:
        key = f"r{round_}-{i}"
        store.set_decision(key, "pinned" if i % 3 else "refused", stars=i % 6)
        print("key", key, flush=True)
        if i % 7 == 0:
            batch = f"{round_:03d}-{i:06d}"
            store.save_added(
                tuple(
                    Event(f"{batch}/{n}", f"typed {n}", start, start + timedelta(hours=1))
                    for n in range(3)
                )
            )
            print("batch", batch, flush=True)
        i += 1
"""


SESSION_ROUNDS = 12

SESSION_CHILD = """
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.core.model import Event
from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.storage.store import Store
from planner.core.storage.writer import SerialWriter


def never(*args):
    raise AssertionError("no week is read")


path, round_ = sys.argv[1], int(sys.argv[2])
start = datetime(2025, 5, 6, 18, tzinfo=ZoneInfo("America/Toronto"))
with Store.open(path) as store:
    session = Session.restored(store, never, Settings(), writer=SerialWriter())
    print("ready", flush=True)
    i = 0
    while True:
        keys = []
        for _ in range(5):
            key = f"s{round_}-{i}"
            event = Event(key, key, start, start + timedelta(hours=1))
            (session.pin if i % 3 else session.refuse)(event)
            keys.append(key)
            i += 1
        problem = session.flush()
        assert not problem, problem
        for key in keys:
            print("key", key, flush=True)
"""


def run_and_kill(path: Path, round_: int, rng: random.Random, child: str = CHILD) -> list[str]:
    """Lines the child printed before it was killed a random while after it was ready."""
    lines: list[str] = []
    ready = threading.Event()
    with subprocess.Popen(
        [sys.executable, "-c", child, str(path), str(round_)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        assert child.stdout is not None
        stream = child.stdout

        def read() -> None:
            for line in stream:
                if line.endswith("\n"):  # a line cut by the kill was not acknowledged whole
                    lines.append(line.strip())
                    ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert ready.wait(30), "the child never opened the store"
        time.sleep(rng.uniform(0.05, 0.5))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        reader.join(10)
    assert child.returncode == -signal.SIGKILL
    return lines


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_acknowledged_decisions_survive_sigkill(tmp_path):
    path = tmp_path / "planner.sqlite3"
    rng = random.Random(7)
    acknowledged: set[str] = set()
    batches: list[str] = []
    started = time.monotonic()
    for round_ in range(ROUNDS):
        lines = run_and_kill(path, round_, rng)
        assert lines[0] == "ready"
        acknowledged |= {line.split()[1] for line in lines if line.startswith("key ")}
        batches += [line.split()[1] for line in lines if line.startswith("batch ")]
        with Store.open(path) as store:
            assert store.integrity_check() == "ok"
            stored = store.load_choices()
            missing = acknowledged - (stored.pinned | stored.refused)
            assert not missing, f"round {round_}: lost {sorted(missing)[:5]}"
            added = store.load_added()
            if batches:
                ids = {e.uid.split("/")[0] for e in added}
                assert len(added) == 3 and len(ids) == 1, "a typed-events write was cut in half"
                assert ids.pop() >= batches[-1]
    elapsed = time.monotonic() - started
    assert len(acknowledged) > ROUNDS, "the kills came before any write: the test tests nothing"
    print(f"{ROUNDS} kills, {len(acknowledged)} acknowledged decisions, {elapsed:.1f} s")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_decisions_flushed_from_the_background_writer_survive_sigkill(tmp_path):
    path = tmp_path / "planner.sqlite3"
    rng = random.Random(11)
    acknowledged: set[str] = set()
    for round_ in range(SESSION_ROUNDS):
        lines = run_and_kill(path, round_, rng, SESSION_CHILD)
        assert lines[0] == "ready"
        acknowledged |= {line.split()[1] for line in lines if line.startswith("key ")}
        with Store.open(path) as store:
            assert store.integrity_check() == "ok"
            stored = store.load_choices()
            missing = acknowledged - (stored.pinned | stored.refused)
            assert not missing, f"round {round_}: lost {sorted(missing)[:5]}"
    assert len(acknowledged) > SESSION_ROUNDS, "the kills came before any flush"
    print(f"{SESSION_ROUNDS} kills, {len(acknowledged)} flushed decisions")
