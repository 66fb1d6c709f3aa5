"""Text people write and read: typed events (quick add) and how times are worded.

May import: planner.core.travel, planner.core.settings, planner.core.model.
"""
