"""Events read from their web pages: the polite fetch, and the schema.org markup read.

Holds :mod:`fetch` (one page over http(s), bounded in time, size and redirects, with
no cookies or credentials), :mod:`markup` (the page's JSON-LD, microdata and RDFa,
read by extruct, and its calendar links), :mod:`schema_org` (a schema.org Event as
planner's :class:`~planner.core.model.Event`, with what was assumed),
:mod:`reading` (a link to the events it describes, the one entry point) and
:mod:`links` (the links among added lines, read only with consent: the one policy
of ``planner add`` and the window's add field).

May import: planner.core.storage (the bounded download), planner.core.calendars
(an .ics linked from a page), planner.core.text, planner.core.settings,
planner.core.model, planner.core.logs. extruct is imported where used, never at
start-up (it takes about 0.3 s to import).
"""
