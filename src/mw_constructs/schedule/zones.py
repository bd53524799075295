"""Time zones of windows: IANA names, a zone per AWS Region (``RegionalTimeZones``), and the
advice for legacy fixed-offset zones.

Pure Python (no aws_cdk import); an ``aws_cdk.TimeZone`` is accepted by duck typing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, FrozenSet, Iterator, Mapping, Optional, Sequence, Tuple, Union

from .._internal.tokens import is_token
from .._internal.validate import fail, quote
from .engine import zone_of

__all__ = ["REGION_TIME_ZONES", "RegionalTimeZones", "TimeZoneLike", "check_region", "fixed_offset_zone_advice",
           "known_time_zones", "zone_name"]

TimeZoneLike = Union[str, "RegionalTimeZones", Any]  # an IANA name, RegionalTimeZones, or aws_cdk.TimeZone
# An AWS Region name: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5.
_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9][0-9]?")

#: The civil time of the city each commercial AWS Region is in ([INF]: AWS names a Region's
#: location, not a time zone; these are the IANA zones of those cities). Used by
#: :meth:`RegionalTimeZones.local`; give your own mapping where your people work elsewhere.
REGION_TIME_ZONES: Mapping[str, str] = {
    "us-east-1": "America/New_York", "us-east-2": "America/New_York", "us-west-1": "America/Los_Angeles",
    "us-west-2": "America/Los_Angeles", "ca-central-1": "America/Toronto", "ca-west-1": "America/Edmonton",
    "mx-central-1": "America/Mexico_City", "sa-east-1": "America/Sao_Paulo",
    "eu-west-1": "Europe/Dublin", "eu-west-2": "Europe/London", "eu-west-3": "Europe/Paris",
    "eu-central-1": "Europe/Berlin", "eu-central-2": "Europe/Zurich", "eu-north-1": "Europe/Stockholm",
    "eu-south-1": "Europe/Rome", "eu-south-2": "Europe/Madrid", "il-central-1": "Asia/Jerusalem",
    "me-south-1": "Asia/Bahrain", "me-central-1": "Asia/Dubai", "af-south-1": "Africa/Johannesburg",
    "ap-south-1": "Asia/Kolkata", "ap-south-2": "Asia/Kolkata", "ap-east-1": "Asia/Hong_Kong",
    "ap-southeast-1": "Asia/Singapore", "ap-southeast-2": "Australia/Sydney", "ap-southeast-3": "Asia/Jakarta",
    "ap-southeast-4": "Australia/Melbourne", "ap-southeast-5": "Asia/Kuala_Lumpur", "ap-southeast-7": "Asia/Bangkok",
    "ap-northeast-1": "Asia/Tokyo", "ap-northeast-2": "Asia/Seoul", "ap-northeast-3": "Asia/Tokyo",
}


def check_region(argument: str, region: Any) -> str:
    """``region`` itself, after checking it is an AWS Region name such as ``eu-west-1``."""
    if not isinstance(region, str) or not _REGION.fullmatch(region):
        fail("InvalidRegion", f"{argument} must be an AWS Region name such as 'eu-west-1': got {quote(region)}.")
    return region


class RegionalTimeZones:
    """One time zone per AWS Region, for a window that opens at the same *local* time in
    every Region it is deployed to (follow-the-sun patching from one template).

    Give it as a schedule's ``time_zone``: the cron is read in each Region's own zone. In the
    template, ``ScheduleTimezone`` becomes ``Fn::FindInMap`` on a region-keyed mapping, so one
    template serves every Region of the mapping, and a Region without an entry cannot deploy it::

        zones = RegionalTimeZones({"eu-west-1": "Europe/Dublin", "us-east-1": "America/New_York"})
        WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=zones)

    Every zone is checked like any other ``time_zone``. :meth:`local` picks each Region's
    zone from :data:`REGION_TIME_ZONES`.
    """

    __slots__ = ("_zones",)
    _zones: Mapping[str, str]

    def __init__(self, zones: Mapping[str, TimeZoneLike]) -> None:
        if not isinstance(zones, Mapping) or not zones:
            fail("InvalidType", f"zones must be a non-empty dict of Region to IANA time zone, e.g. "
                                f"{{'eu-west-1': 'Europe/Dublin'}}: got {quote(zones)}.")
        checked = {}
        for region, zone in zones.items():
            check_region("zones key", region)
            name = zone_name(zone, f"zones[{region!r}]")
            if name is None or is_token(name):
                fail("InvalidType", f"zones[{region!r}] must be an IANA time zone name: got {quote(zone)}.")
            checked[region] = name
        object.__setattr__(self, "_zones", dict(sorted(checked.items())))

    @classmethod
    def local(cls, regions: Sequence[str]) -> "RegionalTimeZones":
        """The civil time zone of each of ``regions`` (see :data:`REGION_TIME_ZONES`)."""
        if isinstance(regions, str) or not isinstance(regions, Sequence) or not regions:
            fail("InvalidType", f"regions must be a non-empty list of Region names: got {quote(regions)}.")
        unknown = [check_region("regions", region) for region in regions if region not in REGION_TIME_ZONES]
        if unknown:
            fail("RegionWithoutTimeZone", f"regions {unknown} have no time zone in REGION_TIME_ZONES: give "
                                          f"RegionalTimeZones({{region: 'Area/City', ...}}) yourself.")
        return cls({region: REGION_TIME_ZONES[region] for region in regions})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("RegionalTimeZones is immutable")

    @property
    def regions(self) -> Tuple[str, ...]:
        """The Regions, sorted."""
        return tuple(self._zones)

    def zone(self, region: str) -> str:
        """The IANA zone of ``region``; RegionWithoutTimeZone when it has none."""
        check_region("region", region)
        if region not in self._zones:
            fail("RegionWithoutTimeZone", f"Region {region!r} has no time zone in {self!r}: add it, or deploy only to "
                                          f"{', '.join(self._zones)}.")
        return self._zones[region]

    def items(self) -> Iterator[Tuple[str, str]]:
        """(Region, zone) pairs, sorted by Region."""
        return iter(self._zones.items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RegionalTimeZones) and self._zones == other._zones

    def __hash__(self) -> int:
        return hash(tuple(self._zones.items()))

    def __repr__(self) -> str:
        return f"RegionalTimeZones({dict(self._zones)!r})"


def zone_name(time_zone: Optional[TimeZoneLike], argument: str = "time_zone") -> Optional[str]:
    """The IANA name of a ``time_zone`` argument (a name or an ``aws_cdk.TimeZone``; None stays None),
    checked against the bundled zone database; a token passes."""
    if time_zone is None:
        return None
    name = getattr(time_zone, "timezone_name", time_zone)  # aws_cdk.TimeZone
    if is_token(name):
        return str(name)
    if not isinstance(name, str):
        fail("InvalidType", f"{argument} must be an IANA time zone name such as 'Europe/Amsterdam': got {quote(name)}.")
    if name not in known_time_zones():
        fail("UnknownTimeZone", f"{argument} must be an IANA time zone name: got {quote(name)}.{_zone_hint(name)}")
    return name


# Where a legacy fixed-offset zone name is usually meant as the region's civil time.
_REGION_ZONE_FOR = {
    "EST": "America/New_York", "MST": "America/Denver", "HST": "Pacific/Honolulu",
    "Etc/GMT+5": "America/New_York", "Etc/GMT+6": "America/Chicago", "Etc/GMT+7": "America/Denver",
    "Etc/GMT+8": "America/Los_Angeles", "Etc/GMT-1": "Europe/Amsterdam", "Etc/GMT-2": "Europe/Helsinki",
}
_UTC_NAMES = frozenset({"UTC", "UCT", "GMT", "Zulu", "Universal", "Greenwich", "GMT0", "GMT+0", "GMT-0",
                        "Etc/UTC", "Etc/UCT", "Etc/GMT", "Etc/Zulu", "Etc/Universal", "Etc/Greenwich",
                        "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0"})


def fixed_offset_zone_advice(name: Optional[str]) -> Optional[str]:
    """Why ``name`` is likely not what was meant, or None.

    A legacy abbreviation or ``Etc/GMT+n`` zone (``EST``, ``MST``, ``Etc/GMT+5``) is a fixed UTC
    offset without daylight saving time: a window read in it drifts an hour from the local
    wall clock for half the year. UTC itself, and region zones without daylight saving time
    (``Asia/Tokyo``), are fine."""
    if name is None or is_token(name) or name in _UTC_NAMES or name not in known_time_zones():
        return None
    if "/" in name and not name.startswith("Etc/"):
        return None  # a region zone: its rules are the region's civil time
    offsets = _offsets(name)
    if len(offsets) != 1:
        return None  # a legacy name that still follows daylight saving (EST5EDT, CET)
    region = _REGION_ZONE_FOR.get(name)
    if region is not None and _offsets(region) == offsets:
        return None  # e.g. HST: Hawaii keeps UTC-10:00 all year, so the fixed offset is its civil time
    (offset,) = offsets
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    example = region or "America/New_York or Europe/Amsterdam"
    return (f"time_zone {quote(name)} is a fixed offset of UTC{sign}{minutes // 60:02d}:{minutes % 60:02d} with no daylight "
            f"saving time, so for part of the year the window opens an hour off the local wall clock. "
            f"Use the IANA zone of the region, such as {example}.")


def _offsets(name: str) -> FrozenSet[timedelta]:
    """The UTC offsets of a zone in mid-January and mid-July."""
    zone = zone_of(name)
    return frozenset(datetime(2025, month, 15, 12, tzinfo=timezone.utc).astimezone(zone).utcoffset() or timedelta()
                     for month in (1, 7))


def _zone_hint(name: Any) -> str:
    if isinstance(name, str):
        for known in known_time_zones():
            if known.lower() == name.lower():
                return f" Did you mean {quote(known)}? Names are case-sensitive."
    return " Examples: 'UTC', 'Europe/Amsterdam', 'America/Los_Angeles'."


@lru_cache(maxsize=1)
def known_time_zones() -> FrozenSet[str]:
    """The IANA zone names of the bundled tzdata package (falls back to the system's)."""
    try:
        from importlib import resources

        return frozenset(resources.files("tzdata").joinpath("zones").read_text().split())
    except (ImportError, FileNotFoundError, OSError):  # pragma: no cover - tzdata is a dependency
        import zoneinfo

        return frozenset(zoneinfo.available_timezones())
