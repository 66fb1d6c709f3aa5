"""The ``planner`` command: a thin layer over :mod:`planner.core`.

``main`` parses and dispatches (the window is imported only when no command is
given); ``saved`` holds the commands on the saved planning (add, sources,
refresh, history, backup, restore); ``decide`` the decisions and undo on it
(commit, refuse, undecide, rate, undo, redo); ``output`` prints plans and holds the exit
codes both share. May import planner.core, and planner.gui only to open the window.
"""
