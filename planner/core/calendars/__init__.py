"""Reading and writing calendars: .ics streams, events and their places, previews, exports.

May import: planner.core.text, planner.core.travel, planner.core.settings, planner.core.model.
"""
