"""Optional real routing: travel times from an OSRM or Valhalla server.

The offline estimate in :mod:`planner.core.travel.estimate` is good to a few minutes
in a metro area, but it cannot know about a river with one bridge or a
highway that skips a suburb. A user who runs (or has access to) a routing
server can point planner at it in ``[routing]``; it is off by default and
nothing is ever sent anywhere else.

A routing server is a convenience, never a dependency: every failure
(unreachable, slow, HTTP error, nonsense answer, no route) falls back to the
estimate, so the plan is always computed. :class:`RoutedTravel` adds what the
planner needs on top of a bare :class:`Router`: the same rush-hour curve and
fixed overheads the estimate uses (routers report free-flow times), a
per-session cache (a week plan asks for the same legs many times), and a
circuit breaker so a dead server does not cost one timeout per trip. One
:class:`RoutedTravel` lives as long as the process and its settings (the
window re-plans after every drag: a dead server must not cost three timeouts
each time), and each plan looks at it through a :class:`PlanRouting`, which
remembers what that plan's own trips met, so a plan says the router failed
exactly when its travel times are estimates because of it.

Public transport is deliberately not routed: transit times depend on the
timetable at the hour of travel, which neither the free-flow-times-a-factor
model nor a cache keyed on places can represent, Valhalla's ``multimodal``
costing only works on servers built with GTFS data (few are), and OSRM has
no transit at all. Transit trips therefore always use the estimate.
"""

from __future__ import annotations

import json
import math
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any, Protocol
from urllib.parse import urlsplit

from planner import __version__
from planner.core.model import Place, TravelMode, Trip
from planner.core.settings import RoutingSettings
from planner.core.travel.estimate import (
    MODES,
    RUSH_THRESHOLD,
    congestion,
    distance_km,
    estimate,
    overhead_minutes,
)

USER_AGENT = f"planner/{__version__}"
MAX_RESPONSE_BYTES = 1_000_000
"""A route summary is a few hundred bytes; anything near this is not an answer we asked for."""

FAILURE_THRESHOLD = 3
BREAKER_SECONDS = 60.0
PAIR_RETRY_SECONDS = 300.0
"""How long one failed pair uses the estimate before the router is asked again."""

COORDINATE_DIGITS = 5
"""Cache key precision: 1e-5 degrees is about a metre, so float noise on one venue is one key."""

# Average speeds (km/h) outside which a route cannot be for that mode. osrm-routed
# ignores the profile in the URL and answers with whatever profile its data was
# prepared for, so a car-only server would otherwise give 10-minute "walks".
_PLAUSIBLE_KMH: dict[TravelMode, tuple[float, float]] = {
    TravelMode.DRIVE: (8.0, 200.0),
    TravelMode.BIKE: (0.0, 40.0),
    TravelMode.WALK: (0.0, 10.0),
}
_PLAUSIBILITY_MIN_KM = 1.0

OSRM_PROFILES = {TravelMode.DRIVE: "driving", TravelMode.BIKE: "cycling", TravelMode.WALK: "foot"}
VALHALLA_COSTINGS = {
    TravelMode.DRIVE: "auto",
    TravelMode.BIKE: "bicycle",
    TravelMode.WALK: "pedestrian",
}
VALHALLA_NO_ROUTE_CODES = frozenset({154, 170, 171, 442})
"""Too far for the mode, unconnected regions, no road near a location, no path."""


@dataclass(frozen=True, slots=True)
class RouteResult:
    """What a router says about one trip, before rush hour and overheads."""

    minutes: float
    """Free-flow travel time the router reports."""
    km: float


class RouterError(Exception):
    """The router gave no usable answer: unreachable, timeout, HTTP error, bad reply.

    The message is a short sentence meant for the user (status bar, CLI). ``address``
    (scheme, host and port, never credentials) and ``failure`` ("did not answer
    (connection refused)") are set when the server itself failed, so that a plan can say
    once which router failed and how: :meth:`RoutedTravel.problems`.
    """

    def __init__(self, message: str, *, address: str = "", failure: str = "") -> None:
        super().__init__(message)
        self.address = address
        self.failure = failure


class NoRouteError(RouterError):
    """The server works but knows no route for this pair (off its map, an island).

    Kept apart from :class:`RouterError` because it says nothing about the
    server's health: it must not trip the circuit breaker.
    """


class UnsupportedModeError(RouterError):
    """This router cannot answer for this mode at all; asking again is pointless.

    ``by_design`` is True for modes planner never routes (transit): those are
    not a problem worth showing the user.
    """

    def __init__(self, message: str, *, by_design: bool = False) -> None:
        super().__init__(message)
        self.by_design = by_design


class Router(Protocol):
    """Anything that can time a trip between two positioned places."""

    def route(self, origin: Place, destination: Place, mode: TravelMode) -> RouteResult: ...


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the configured server.

    The user trusted one host with their venue positions; a redirect must not
    hand them (or the request) to another one.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            fp.close()
            raise RouterError(f"The routing server redirected to another host ({new.netloc}).")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


class _HttpClient:
    """The one place that talks HTTP: timeout, User-Agent, size limit, same host."""

    def __init__(self, name: str, url: str, timeout: float) -> None:
        self.name = name
        self.base = url.rstrip("/")
        self.timeout = timeout
        parts = urlsplit(self.base)
        self.config_error = ""
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # Refuse file:, ftp: and friends: urllib would happily read local files.
            self.config_error = f"The {name} URL {url!r} is not an http:// or https:// address."
        handlers: list[urllib.request.BaseHandler] = [_SameHostRedirects()]
        if parts.hostname and _is_loopback(parts.hostname):
            # A local server is never reached through a proxy, whatever the environment says.
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)
        # For messages: host and port only, never credentials written into the URL.
        self._host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        self.address = f"{parts.scheme}://{self._host}" if parts.hostname else url

    def _failed(self, message: str, failure: str) -> RouterError:
        return RouterError(message, address=self.address, failure=failure)

    def request_json(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """GET (or POST ``body``) ``path`` and return the decoded JSON answer.

        An HTTP error whose body is JSON is returned too when it is a 4xx
        answer: OSRM and Valhalla explain "no route" that way, and the caller
        knows the fields. Everything else becomes a :class:`RouterError`.
        """
        if self.config_error:
            raise self._failed(self.config_error, "is not an http:// or https:// address")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        where = f"{self.name} at {self._host}"
        deadline = time.monotonic() + self.timeout
        late = f"did not answer within {self.timeout:g} s"
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = self._read(response, deadline)
        except urllib.error.HTTPError as exc:
            answer = _decode(self._error_body(exc, deadline))
            if 400 <= exc.code < 500 and isinstance(answer, dict):
                return answer
            raise self._failed(
                f"{where} answered HTTP {exc.code}.", f"answered HTTP {exc.code}"
            ) from exc
        except TimeoutError as exc:
            raise self._failed(f"{where} {late}.", late) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._failed(f"{where} {late}.", late) from exc
            why = _why(exc.reason)
            raise self._failed(
                f"{where} is unreachable ({exc.reason}).", f"did not answer ({why})"
            ) from exc
        except (OSError, HTTPException) as exc:
            raise self._failed(
                f"{where} broke off the answer ({exc}).", f"broke off its answer ({exc})"
            ) from exc
        answer = _decode(raw)
        if answer is None:
            raise self._failed(f"{where} did not answer with JSON.", "did not answer with JSON")
        return answer

    def _error_body(self, error: urllib.error.HTTPError, deadline: float) -> bytes:
        """The body of an HTTP error, or b"" when it cannot be read: it is only a detail."""
        if error.fp is None:
            return b""
        try:
            return self._read(error, deadline)
        except (RouterError, OSError, HTTPException):
            return b""
        finally:
            error.close()

    def _read(self, response: Any, deadline: float) -> bytes:
        """Read at most MAX_RESPONSE_BYTES, and no longer than the timeout in total.

        The socket timeout bounds each read, not the whole answer: a server
        trickling bytes would otherwise hold a worker thread indefinitely.
        """
        # read1 returns what one recv brings, so the deadline is checked while bytes trickle.
        read = getattr(response, "read1", response.read)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = read(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise self._failed(
                    f"The {self.name} answer is larger than {MAX_RESPONSE_BYTES} bytes.",
                    f"answered with more than {MAX_RESPONSE_BYTES:,} bytes",
                )
            if time.monotonic() > deadline:
                raise TimeoutError
            chunks.append(chunk)


def _why(reason: object) -> str:
    """``ConnectionRefusedError(111, ...)`` -> ``"connection refused"``: the words, no number."""
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[0].lower() + reason.strerror[1:]
    return str(reason)


def _decode(raw: bytes) -> Any:
    """Parsed JSON, or None for anything that is not JSON."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def _number(value: Any, what: str, name: str) -> float:
    """A finite, non-negative number from an answer, or RouterError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RouterError(f"The {name} answer has no usable {what}.")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise RouterError(f"The {name} answer has an impossible {what} ({value!r}).")
    return number


def _positions(origin: Place, destination: Place) -> tuple[float, float, float, float]:
    if origin.lat is None or origin.lon is None:
        raise RouterError(f"{origin.label} has no position to route from.")
    if destination.lat is None or destination.lon is None:
        raise RouterError(f"{destination.label} has no position to route to.")
    return origin.lat, origin.lon, destination.lat, destination.lon


def _no_transit(name: str) -> UnsupportedModeError:
    return UnsupportedModeError(
        f"{name} routing is not used for public transport; the estimate is.", by_design=True
    )


class OsrmRouter:
    """OSRM's ``/route/v1`` service (``osrm-routed`` or a compatible server)."""

    name = "OSRM"

    def __init__(self, url: str, *, timeout: float = 3.0) -> None:
        self._http = _HttpClient(self.name, url, timeout)

    def route(self, origin: Place, destination: Place, mode: TravelMode) -> RouteResult:
        """Time one trip; OSRM wants ``lon,lat`` pairs, in that order."""
        profile = OSRM_PROFILES.get(mode)
        if profile is None:
            raise _no_transit(self.name)
        lat1, lon1, lat2, lon2 = _positions(origin, destination)
        coords = f"{lon1:.6f},{lat1:.6f};{lon2:.6f},{lat2:.6f}"
        answer = self._http.request_json(f"/route/v1/{profile}/{coords}?overview=false")
        if not isinstance(answer, dict):
            raise RouterError("The OSRM answer is not a JSON object.")
        code = answer.get("code")
        if code in ("NoRoute", "NoSegment"):
            raise NoRouteError(
                f"OSRM knows no {mode.value} route from {origin.label} to {destination.label}."
            )
        if code != "Ok":
            detail = answer.get("message") or code or "no code"
            raise RouterError(f"OSRM refused the request ({detail}).")
        routes = answer.get("routes")
        if not isinstance(routes, list) or not routes or not isinstance(routes[0], dict):
            raise NoRouteError(
                f"OSRM returned no {mode.value} route from {origin.label} to {destination.label}."
            )
        seconds = _number(routes[0].get("duration"), "duration", self.name)
        metres = _number(routes[0].get("distance"), "distance", self.name)
        result = RouteResult(seconds / 60.0, metres / 1000.0)
        _check_plausible(result, mode, self.name)
        return result


class ValhallaRouter:
    """Valhalla's ``/route`` action, asked for a summary only."""

    name = "Valhalla"

    def __init__(self, url: str, *, timeout: float = 3.0) -> None:
        self._http = _HttpClient(self.name, url, timeout)

    def route(self, origin: Place, destination: Place, mode: TravelMode) -> RouteResult:
        """Time one trip; ``directions_type: none`` skips the turn-by-turn narrative."""
        costing = VALHALLA_COSTINGS.get(mode)
        if costing is None:
            raise _no_transit(self.name)
        lat1, lon1, lat2, lon2 = _positions(origin, destination)
        body = {
            "locations": [{"lat": lat1, "lon": lon1}, {"lat": lat2, "lon": lon2}],
            "costing": costing,
            "units": "kilometers",
            "directions_type": "none",
        }
        answer = self._http.request_json("/route", body)
        if not isinstance(answer, dict):
            raise RouterError("The Valhalla answer is not a JSON object.")
        if "trip" not in answer:
            code = answer.get("error_code")
            detail = answer.get("error") or "no details"
            if code in VALHALLA_NO_ROUTE_CODES:
                raise NoRouteError(
                    f"Valhalla knows no {mode.value} route from {origin.label} "
                    f"to {destination.label} ({detail})."
                )
            raise RouterError(f"Valhalla refused the request ({detail}).")
        trip = answer["trip"]
        summary = trip.get("summary") if isinstance(trip, dict) else None
        if not isinstance(summary, dict):
            raise RouterError("The Valhalla answer has no trip summary.")
        seconds = _number(summary.get("time"), "time", self.name)
        km = _number(summary.get("length"), "length", self.name)
        return RouteResult(seconds / 60.0, km)


def _check_plausible(result: RouteResult, mode: TravelMode, name: str) -> None:
    """Reject an answer whose speed says it was computed for another mode."""
    if result.km < _PLAUSIBILITY_MIN_KM or result.minutes <= 0:
        return
    low, high = _PLAUSIBLE_KMH[mode]
    kmh = result.km / (result.minutes / 60.0)
    if not low <= kmh <= high:
        raise UnsupportedModeError(
            f"The {name} server does not route by {mode.value} (it answered {kmh:.0f} km/h; "
            f"it probably serves another profile); {mode.value} times are estimated."
        )


def make_router(settings: RoutingSettings) -> Router | None:
    """The router the settings ask for, or None when routing is off (the default)."""
    provider = settings.provider.lower()
    if not provider:
        return None
    if provider == "osrm":
        return OsrmRouter(settings.url, timeout=settings.timeout_seconds)
    if provider == "valhalla":
        return ValhallaRouter(settings.url, timeout=settings.timeout_seconds)
    raise ValueError(f"unknown routing provider {settings.provider!r}")


_Key = tuple[float, float, float, float, TravelMode]


class RoutedTravel:
    """Travel times from a router, with the offline estimate as fallback.

    Router answers are cached per (origin, destination, mode), on rounded
    coordinates, for the session: free-flow times do not change while the
    app runs, and the rush-hour factor is applied per departure afterwards.
    Thread-safe, because the GUI plans in a worker thread; two threads asking
    for the same pair at once make one request, the second waits for it.
    ``curve`` is the user's rush-hour curve (``[travel] rush_hour``), used for
    router and estimated trips alike so the two never disagree about traffic.

    On a :class:`RouterError` the trip comes from :func:`travel.estimate`,
    the pair is not asked again for ``pair_retry_seconds``, and after
    ``FAILURE_THRESHOLD`` consecutive failures the router is not called at
    all for ``breaker_seconds`` (then one request probes it again).
    """

    def __init__(
        self,
        router: Router | None,
        *,
        unknown_minutes: int = 45,
        curve: Mapping[int, float] | None = None,
        breaker_seconds: float = BREAKER_SECONDS,
        pair_retry_seconds: float = PAIR_RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._router = router
        self._unknown_minutes = unknown_minutes
        self._curve = curve
        self._breaker_seconds = breaker_seconds
        self._pair_retry_seconds = pair_retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[_Key, RouteResult] = {}
        self._failed_until: dict[_Key, tuple[float, RouterError]] = {}
        self._no_route_until: dict[_Key, float] = {}
        self._inflight: dict[_Key, threading.Event] = {}
        self._unsupported: set[TravelMode] = set()
        self._mode_notes: dict[TravelMode, str] = {}
        self._failures = 0
        self._open_until = 0.0
        self._error = ""
        self._outage: RouterError | None = None
        self._last_failure: RouterError | None = None
        self._routed = False

    @property
    def last_error(self) -> str:
        """A short sentence for the UI/CLI about the latest routing problem, "" when fine."""
        with self._lock:
            return self._error or next(iter(self._mode_notes.values()), "")

    def problems(self) -> list[str]:
        """What the user should know about this router's answers so far, one sentence each:
        the first time the server failed ("The router at http://127.0.0.1:5000 did not
        answer (connection refused); travel times are estimates") and each mode it turned
        out not to serve. Said once per plan, where a plan says what went wrong, instead
        of per trip (a dead router costs every trip of the week the same way)."""
        with self._lock:
            return _sentences([*self._mode_notes.values()], self._outage, self._routed)

    def trip(
        self,
        origin: Place,
        destination: Place,
        mode: TravelMode,
        *,
        depart: datetime | None = None,
        arrive: datetime | None = None,
    ) -> tuple[Trip, str]:
        """One trip and where its time came from: ``"router"`` or ``"estimate"``."""
        found, source, _why = self.trip_explained(
            origin, destination, mode, depart=depart, arrive=arrive
        )
        return found, source

    def trip_explained(
        self,
        origin: Place,
        destination: Place,
        mode: TravelMode,
        *,
        depart: datetime | None = None,
        arrive: datetime | None = None,
    ) -> tuple[Trip, str, RouterError | str | None]:
        """As :meth:`trip`, and why an estimate was used where the router should have
        answered: the failure that stands for this pair (now, or remembered for the
        retry time; the breaker's last failure while it is open), or the sentence saying
        the router does not serve the mode. None when the estimate was the plan anyway
        (no router, a virtual place, no coordinates, no route between the two)."""
        if depart is None and arrive is None:
            raise ValueError("trip() needs a departure or an arrival time")
        route, why = self._route(origin, destination, mode)
        if route is None:
            fallback = estimate(
                origin,
                destination,
                mode,
                depart=depart,
                arrive=arrive,
                unknown_minutes=self._unknown_minutes,
                curve=self._curve,
            )
            return fallback, "estimate", why
        model = MODES[mode]
        if depart is None:
            assert arrive is not None
            # As in estimate(): the congestion that matters is at departure.
            base = model.overhead_min + route.minutes
            depart = arrive - timedelta(minutes=base * congestion(arrive, self._curve))
        factor = 1.0 + (congestion(depart, self._curve) - 1.0) * model.rush_sensitivity
        # The epsilon keeps float noise (26.000000001) from adding a whole minute.
        minutes = math.ceil(model.overhead_min + route.minutes * factor - 1e-9)
        routed = Trip(
            origin,
            destination,
            mode,
            minutes,
            route.km,
            rush_hour=factor >= RUSH_THRESHOLD,
            overhead_minutes=overhead_minutes(mode),
        )
        return routed, "router", None

    def _route(
        self, origin: Place, destination: Place, mode: TravelMode
    ) -> tuple[RouteResult | None, RouterError | str | None]:
        """The router's answer for this pair, or None when the estimate must be used,
        with why the router did not answer (see :meth:`trip_explained`)."""
        if self._router is None or origin.virtual or destination.virtual:
            return None, None
        if origin.lat is None or origin.lon is None:
            return None, None
        if destination.lat is None or destination.lon is None:
            return None, None
        if distance_km(origin.lat, origin.lon, destination.lat, destination.lon) < 0.05:
            return None, None  # Same venue: the estimate's zero is right, no request needed.
        key: _Key = (
            round(origin.lat, COORDINATE_DIGITS),
            round(origin.lon, COORDINATE_DIGITS),
            round(destination.lat, COORDINATE_DIGITS),
            round(destination.lon, COORDINATE_DIGITS),
            mode,
        )
        while True:
            with self._lock:
                if key in self._cache:
                    return self._cache[key], None
                now = self._clock()
                if mode in self._unsupported:
                    return None, self._mode_notes.get(mode)
                failed = self._failed_until.get(key)
                if failed is not None and failed[0] > now:
                    return None, failed[1]
                if self._no_route_until.get(key, 0.0) > now:
                    return None, None
                waiting = self._inflight.get(key)
                if waiting is None:
                    if not self._breaker_allows(now):
                        return None, self._last_failure
                    done = threading.Event()
                    self._inflight[key] = done
                    break
            waiting.wait()  # Another thread is asking for this pair; use its answer.
        try:
            return self._ask(self._router, key, origin, destination, mode)
        finally:
            with self._lock:
                del self._inflight[key]
            done.set()

    def _breaker_allows(self, now: float) -> bool:
        """Closed: call. Open: don't. Window over: let exactly one probe through.

        Caller holds the lock.
        """
        if self._failures < FAILURE_THRESHOLD:
            return True
        if now < self._open_until:
            return False
        self._open_until = now + self._breaker_seconds  # Others wait while this one probes.
        return True

    def _ask(
        self, router: Router, key: _Key, origin: Place, destination: Place, mode: TravelMode
    ) -> tuple[RouteResult | None, RouterError | str | None]:
        """Call the router (without the lock: requests for other pairs run in parallel)."""
        try:
            result = router.route(origin, destination, mode)
        except UnsupportedModeError as exc:
            with self._lock:
                self._unsupported.add(mode)
                if not exc.by_design:
                    self._mode_notes[mode] = str(exc)
                return None, self._mode_notes.get(mode)
        except NoRouteError as exc:
            with self._lock:
                self._no_route_until[key] = self._clock() + self._pair_retry_seconds
                self._error = f"{exc} Using the estimate."
            return None, None
        except RouterError as exc:
            with self._lock:
                now = self._clock()
                self._failed_until[key] = (now + self._pair_retry_seconds, exc)
                self._failures += 1
                self._last_failure = exc
                if self._outage is None:
                    self._outage = exc
                if self._failures >= FAILURE_THRESHOLD:
                    self._open_until = now + self._breaker_seconds
                    self._error = (
                        f"{exc} Routing is paused for {self._breaker_seconds:g} s after "
                        f"{self._failures} failures in a row; using estimates."
                    )
                else:
                    self._error = f"{exc} Using the estimate."
            return None, exc
        with self._lock:
            self._cache[key] = result
            self._failures = 0
            self._error = ""
            self._routed = True
        return result, None


class PlanRouting:
    """One plan's view of a shared :class:`RoutedTravel`: its trips, and what they met.

    The shared router keeps answers and the breaker for the whole process; what a
    plan must say ("the router did not answer; travel times are estimates") depends
    on that plan's own trips: a plan made while the breaker is open met the outage
    through the breaker, without a request, and a plan made after the server came
    back met nothing. Thread-safe (the optimiser may ask from several threads).
    """

    def __init__(self, shared: RoutedTravel) -> None:
        self._shared = shared
        self._lock = threading.Lock()
        self._outage: RouterError | None = None
        self._notes: dict[str, None] = {}
        self._routed = False

    def trip(
        self,
        origin: Place,
        destination: Place,
        mode: TravelMode,
        *,
        depart: datetime | None = None,
        arrive: datetime | None = None,
    ) -> tuple[Trip, str]:
        """One trip and where its time came from, as :meth:`RoutedTravel.trip`."""
        found, source, why = self._shared.trip_explained(
            origin, destination, mode, depart=depart, arrive=arrive
        )
        with self._lock:
            if source == "router":
                self._routed = True
            elif isinstance(why, RouterError):
                self._outage = self._outage or why
            elif why:
                self._notes[why] = None
        return found, source

    def problems(self) -> list[str]:
        """What this plan's trips met, one sentence each: the router's failure first
        (said once, however many trips it cost), then each mode it does not serve."""
        with self._lock:
            return _sentences(list(self._notes), self._outage, self._routed)


def _sentences(notes: list[str], outage: RouterError | None, routed: bool) -> list[str]:
    """The failure (if any) as one sentence that says what it cost, then the notes."""
    if outage is None:
        return notes
    which = "some travel times are estimates" if routed else "travel times are estimates"
    if outage.address and outage.failure:
        return [f"The router at {outage.address} {outage.failure}; {which}.", *notes]
    return [f"{str(outage).rstrip('.')}; {which}.", *notes]
