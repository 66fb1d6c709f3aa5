"""Planning a week: the rules, the optimiser, explanations, quotas and the report.

May import: planner.core.calendars and everything below it (text, travel, settings, model).
"""
