"""The PySide6 desktop interface; adapts planner.core objects, decides nothing."""
