"""What planner keeps: the SQLite store, feeds and their last good copies, preferences.

May import: planner.core.calendars and everything below it (text, travel, settings, model).
"""
