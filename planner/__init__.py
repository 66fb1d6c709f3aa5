"""planner: a desktop time-budget planner that proposes which events fit your week."""

__version__ = "0.1.0"
