"""What planner keeps: the user's decisions, calendars and history, safe from crashes.

- :mod:`.store`: the :class:`~.store.Store` facade the rest of planner calls, over
  :mod:`.database` (connection, pragmas, migrations, transactions), :mod:`.codec`
  (events as text), :mod:`.decisions`, :mod:`.state` (what the session saves),
  :mod:`.undo_log` (the undo history the window and the terminal share),
  :mod:`.sources` (calendars and feed copies), :mod:`.feed_venues` (venues read from
  feed events' pages), :mod:`.file_copies` (the last read copy of each imported file),
  :mod:`.history`, :mod:`.parse_cache`, :mod:`.backups` and :mod:`.publish_queue` (what
  publishing to a CalDAV calendar could not write yet);
- :mod:`.writer`: writes inline (CLI) or on one background thread in order (window);
- :mod:`.feeds`: calendars at a URL, fetched politely and merged into the store, over
  :mod:`.feed_download` (one bounded HTTP download: deadline, size, gzip, redirects) and
  :mod:`.feed_credentials` (feed passwords, in the system keyring, never in the store);
- :mod:`.preferences`: answers given in the window (geocoding consent, import roles).

May import: planner.core.calendars and everything below it (text, travel, settings,
model, logs). Never planning (a sibling), the session or anything above.
"""
