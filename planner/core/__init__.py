"""The planning domain: pure Python, never imports Qt (import-linter and a test enforce it).

The parts, from the top down; each may import only the parts below it (the
``layers`` contract in pyproject.toml):

- :mod:`.saved`: opening and restoring the user's own planning (settings file, store, session);
- :mod:`.session`: one planning session: state, undoable changes, the week loader;
- :mod:`.changes`: the state and its changes, and the undo steps the store keeps of them;
- :mod:`.demo`: the bundled demo week;
- :mod:`.planning` and :mod:`.storage` (siblings): planning a week; what is kept;
- :mod:`.calendars`: reading and writing calendars;
- :mod:`.text`: typed events and wording;
- :mod:`.travel`: places and trips;
- :mod:`.settings`: the user's rules, one schema;
- :mod:`.model`: the domain objects every part speaks in;
- :mod:`.logs`: where tracebacks go.
"""
