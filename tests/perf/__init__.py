"""Wall-clock checks, kept out of the unit run: ``pytest -m perf`` runs them.

Each test here times something the unit tests already check for behaviour (a
timeout that fires, a window that keeps painting, a big file that is read):
only the "how long" lives here, because on a busy machine a correct program
is slow, not broken, and the unit run must not fail for that. ``.ci/run``
runs them as a separate step and prints the result without failing CI.
"""
