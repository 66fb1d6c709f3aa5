"""Travel: from place texts to positions, and from positions to trips.

- :mod:`.place_text`: what a place text says (online or not, venue and address, coordinates);
- :mod:`.places`: the :class:`~.places.PlaceResolver`, trying saved places, the
  :mod:`.geocode_cache`, the consented :mod:`.geocoder` and the offline :mod:`.gazetteer`;
- :mod:`.estimate`: offline trip estimates (modes, circuity, rush hour, one haversine, and
  each mode's overhead: parking, walking to the stop, waiting);
- :mod:`.router`: an optional OSRM or Valhalla server;
- :mod:`.transit`: GTFS timetables and their router; :mod:`.by_timetable` asks it for the
  plan's transit trips (leave by, home by, the last train);
- :mod:`.service`: known trips, the timetables (transit), a router, then the estimate:
  every trip goes here;
- :mod:`.itinerary`: where the user is before and after an event, and the trips around it;
- :mod:`.query`: ``planner travel`` and its ``--batch``;
- :mod:`.transit`: GTFS timetables and the RAPTOR router (a folder of its own).

May import: planner.core.settings, planner.core.model, planner.core.logs. Never text,
calendars or anything above.
"""
