"""Random valid SSM cron bodies, for the differential test and benchmarks/schedule.py.

Only forms both mw-constructs and aws-croniter support are generated: no steps in
day-of-week or year, no wrapping ranges, no seconds field.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import List, Optional, Tuple
from zoneinfo import ZoneInfo

DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def _minutes(rnd: random.Random) -> str:
    choice = rnd.random()
    if choice < 0.5:
        return str(rnd.randint(0, 59))
    if choice < 0.7:
        return f"{rnd.randint(0, 4)}/{rnd.choice([5, 10, 15, 20, 30])}"
    first = rnd.randint(0, 29)
    return f"{first},{first + rnd.randint(5, 30)}"


def _hours(rnd: random.Random) -> str:
    choice = rnd.random()
    if choice < 0.6:
        return str(rnd.randint(0, 23))
    if choice < 0.75:
        start = rnd.randint(0, 20)
        return f"{start}-{rnd.randint(start, 23)}"
    if choice < 0.85:
        return f"{rnd.randint(0, 5)}/{rnd.choice([2, 3, 4, 6, 8, 12])}"
    if choice < 0.95:
        return ",".join(str(h) for h in sorted(rnd.sample(range(24), rnd.randint(2, 4))))
    return "*"


def _day_of_month(rnd: random.Random) -> str:
    choice = rnd.random()
    if choice < 0.3:
        return str(rnd.randint(1, 28))
    if choice < 0.45:
        return "L"
    if choice < 0.6:
        return f"{rnd.randint(1, 31)}W"
    if choice < 0.75:
        start = rnd.randint(1, 20)
        return f"{start}-{rnd.randint(start, 31)}"
    if choice < 0.85:
        return f"{rnd.randint(1, 5)}/{rnd.randint(2, 10)}"
    return "*"


def _day_of_week(rnd: random.Random) -> str:
    choice = rnd.random()
    day = rnd.randint(1, 7)
    name = DAY_NAMES[day - 1]
    if choice < 0.25:
        return rnd.choice([str(day), name])
    if choice < 0.45:
        return f"{rnd.choice([str(day), name])}#{rnd.randint(1, 5)}"
    if choice < 0.6:
        return f"{day}L"
    if choice < 0.75:
        start = rnd.randint(1, 6)
        end = rnd.randint(start, 7)
        return f"{DAY_NAMES[start - 1]}-{DAY_NAMES[end - 1]}" if rnd.random() < 0.5 else f"{start}-{end}"
    if choice < 0.9:
        return ",".join(sorted(rnd.sample(DAY_NAMES, rnd.randint(2, 3)), key=DAY_NAMES.index))
    return "*"


def _month(rnd: random.Random) -> str:
    choice = rnd.random()
    if choice < 0.6:
        return "*"
    if choice < 0.75:
        return rnd.choice([str(rnd.randint(1, 12)), MONTH_NAMES[rnd.randint(0, 11)]])
    if choice < 0.85:
        start = rnd.randint(1, 11)
        return f"{start}-{rnd.randint(start, 12)}"
    if choice < 0.95:
        return f"{rnd.randint(1, 3)}/{rnd.choice([2, 3, 4, 6])}"
    return ",".join(sorted(rnd.sample(MONTH_NAMES, 3), key=MONTH_NAMES.index))


def _year(rnd: random.Random) -> str:
    choice = rnd.random()
    if choice < 0.85:
        return "*"
    start = rnd.randint(2024, 2030)
    return f"{start}-{rnd.randint(start + 1, 2040)}"


def random_cron_bodies(count: int, seed: int = 20241) -> List[str]:
    """``count`` random cron bodies (without ``cron(...)``) that the SSM grammar accepts."""
    rnd = random.Random(seed)
    bodies = []
    while len(bodies) < count:
        if rnd.random() < 0.5:
            day_of_month, day_of_week = _day_of_month(rnd), "?"
        else:
            day_of_month, day_of_week = "?", _day_of_week(rnd)
        body = " ".join([_minutes(rnd), _hours(rnd), day_of_month, _month(rnd), day_of_week, _year(rnd)])
        if _valid(body):
            bodies.append(body)
    return bodies


def _valid(body: str) -> bool:
    from mw_constructs import ValidationError, WindowSchedule

    try:
        WindowSchedule.expression(f"cron({body})")
    except ValidationError:
        return False
    return True


def croniter_runs(body: str, zone_name: Optional[str], after: datetime, count: int) -> Tuple[list, bool]:
    """aws-croniter's next ``count`` runs of ``body`` in a zone, and whether it gave up early.

    aws-croniter knows only UTC: it is fed the zone's wall clock labelled as UTC, and its
    answers are mapped back through mw-constructs' documented DST policy.
    """
    from aws_croniter import AwsCroniter

    from mw_constructs.schedule.engine import resolve_wall_time

    zone = timezone.utc if zone_name is None else ZoneInfo(zone_name)
    local_after = after.astimezone(zone).replace(tzinfo=timezone.utc)
    result, gave_up = [], False
    for wall in AwsCroniter(body).get_next(local_after, n=count + 3):
        if wall is None:
            gave_up = True
            break
        run = resolve_wall_time(wall.replace(tzinfo=None), zone)
        if run is not None and run > after:
            result.append(run)
    return result[:count], gave_up
