"""Differential test: next_runs against aws-croniter, an independent implementation.

aws-croniter knows only UTC, so the harness feeds it the wall clock of the schedule's zone
labelled as UTC and maps its answers back through our documented DST policy (a start in a
spring-forward gap is skipped; a repeated time runs at its first occurrence). What this
compares is the cron matching itself; DST is covered by test_engine.py.

Known, checked disagreements (aws-croniter is wrong in each; see README "Cross-checked"):
* aws-croniter stops searching after a bounded number of years and returns None for rare
  dates far ahead (e.g. 29 February after 2096), where SSM's grammar allows years to 2199.
  Only the runs aws-croniter returns are compared.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mw_constructs import WindowSchedule
from tests.support.cron_samples import croniter_runs, random_cron_bodies

pytest.importorskip("aws_croniter")

ZONES = [None, "Europe/Amsterdam", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney"]
RUNS = 12
EXPRESSIONS = 1000


def test_next_runs_agree_with_aws_croniter_on_1000_random_expressions():
    bodies = random_cron_bodies(EXPRESSIONS)
    disagreements = []
    compared = 0
    for index, body in enumerate(bodies):
        zone = ZONES[index % len(ZONES)]
        after = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(days=index * 7, hours=12)
        ours = WindowSchedule.expression(f"cron({body})", time_zone=zone).next_runs(RUNS, after=after)
        theirs, gave_up = croniter_runs(body, zone, after, RUNS)
        if gave_up:
            ours = ours[: len(theirs)]
        compared += len(theirs)
        if [run.astimezone(timezone.utc) for run in ours] != [run.astimezone(timezone.utc) for run in theirs]:
            disagreements.append((body, zone, after, ours[:3], theirs[:3]))
    assert not disagreements, disagreements[:5]
    assert len(bodies) == EXPRESSIONS and compared > EXPRESSIONS * RUNS * 0.9


@pytest.mark.parametrize("body", [
    "00 23-5 ? * THU#1 *", "0 22-4/2 ? * SUN *", "30 20-1 ? * MON-FRI *",
    "0 2 ? * FRI-MON *", "0 3 ? * 6-2 *", "0 4 28-3 * ? *", "0 5 1 NOV-FEB ? *", "0 6 ? OCT-MAR SAT *",
])
def test_wrapping_ranges_agree_with_aws_croniter(body):
    """Issue 20: ranges that run backwards are read as Quartz reads them, as aws-croniter does."""
    after = datetime(2024, 1, 1, tzinfo=timezone.utc)
    ours = WindowSchedule.expression(f"cron({body})").next_runs(RUNS, after=after)
    theirs, _ = croniter_runs(body, None, after, RUNS)
    assert len(theirs) == RUNS and ours == theirs
