"""Text people write and read.

- :mod:`.quick_add`: a typed or pasted line ("PMI mixer next Thu 6-8pm @ 100 King St W
  $25") into a candidate event, with what had to be assumed;
- :mod:`.wording`: how times, spans, durations and money are written in every sentence
  planner shows.

May import: planner.core.travel, planner.core.settings, planner.core.model,
planner.core.logs. Never calendars or anything above.
"""
