"""Reading and writing calendars: the .ics files and feeds people have, and what planner gives back.

- :mod:`.stream`: a big .ics screened line by line, keeping only what can touch the week;
- :mod:`.reading`: the kept events parsed (icalendar, x-wr-timezone, recurring-ical-events)
  into :class:`~planner.core.model.Event` objects, one broken event costing only itself;
- :mod:`.plain`: calendars of plain one-off events built without icalendar's line parser
  (the same calendar, twice as fast), anything unusual left to the full parse;
- :mod:`.guard`: the bounds on what one file may cost (special files, size, runaway
  recurrence rules, time spent expanding series);
- :mod:`.repair`: the checks between icalendar and the expander: bad parts found by
  halves and left out, events that would crash or never end skipped, backwards ones mended;
- :mod:`.event_places`: where an event is, from each producer's way of saying it;
- :mod:`.preview`: what a file holds, seen before it is imported (the import dialog);
- :mod:`.listing`: ``planner events``;
- :mod:`.attend_list`: the chosen events as .ics (travel blocks, leave-by alarms) and CSV;
- :mod:`.agenda`: the printable agenda.

May import: planner.core.text, planner.core.travel, planner.core.settings,
planner.core.model, planner.core.logs. Never planning, storage or anything above.
"""
