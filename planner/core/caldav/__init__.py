"""CalDAV calendars (Nextcloud, Fastmail, iCloud, Radicale…): found, read and kept in step.

Holds :mod:`.session` (one account's HTTP conversation: Basic authentication,
connect and total timeouts, never a redirect to another host with the password,
every failure as a :class:`~.session.CalDAVError` in words), :mod:`.dav` (the
WebDAV/CalDAV request bodies and their multistatus answers, read with the standard
library's XML parser), :mod:`.discovery` (``/.well-known/caldav``, the principal, its
calendar home and the calendars there), :mod:`.credentials` (passwords: the system
keyring, ``PLANNER_CALDAV_PASSWORD``, or asked once and kept in memory; never in the
store, the settings, a backup or a log), :mod:`.sync` (a calendar as a source:
sync-token, else CTag and ETags, else a full read, merged as feeds are) and
:mod:`.refresh` (feeds and CalDAV calendars refreshed through one door).
Publishing the plan into one calendar: :mod:`.publish_objects` (the week's attend-list
as CalDAV objects with planner's own UIDs and markers, compared with what the calendar
holds) and :mod:`.publish` (the writes: conditional PUT and DELETE, the 412 retry, what
fails kept in the store's publish queue).

May import: planner.core.storage (the store, feed merging, the keyring helpers),
planner.core.calendars (reading what is fetched), planner.core.text,
planner.core.settings, planner.core.model, planner.core.logs. Never planning, the
session or anything above; only the standard library for HTTP and XML.
"""
