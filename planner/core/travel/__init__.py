"""Travel: places to positions, trip estimates, routers, itineraries and trip queries.

May import: planner.core.settings, planner.core.model.
"""
