"""Occurrence engine speed: mw-constructs versus aws-croniter on the same workload.

    python -m benchmarks.schedule [EXPRESSIONS] [RUNS]

Computes the next RUNS (default 52) runs of EXPRESSIONS (default 1,000) random valid cron
expressions spread over five time zones, with mw-constructs and with aws-croniter (an
independent implementation; UTC-only, so it gets the zone's wall clock and its answers go
through the same DST mapping), checks the results are identical wherever aws-croniter
answers, and prints runs per second and the time ratio (target: mw-constructs <= 0.5x).
Also times the CLI start-up (`mw-constructs --help`, target < 0.3 s).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from mw_constructs import WindowSchedule
from tests.support.cron_samples import croniter_runs, random_cron_bodies

ZONES = [None, "Europe/Amsterdam", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney"]


def workload(count: int):
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    return [
        (body, ZONES[i % len(ZONES)], start + timedelta(days=3 * i, hours=12))
        for i, body in enumerate(random_cron_bodies(count, seed=7))
    ]


def run_ours(cases, runs):
    schedules = [(WindowSchedule.expression(f"cron({body})", time_zone=zone), after) for body, zone, after in cases]
    begin = time.perf_counter()
    results = [schedule.next_runs(runs, after=after) for schedule, after in schedules]
    return time.perf_counter() - begin, results


def run_croniter(cases, runs):
    begin = time.perf_counter()
    results = [croniter_runs(body, zone, after, runs) for body, zone, after in cases]
    return time.perf_counter() - begin, results


def cli_start_seconds(repeat: int = 5) -> float:
    command = [sys.executable, "-m", "mw_constructs", "--help"]
    best = float("inf")
    for _ in range(repeat):
        begin = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - begin)
    return best


def main() -> None:
    expressions = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 52
    cases = workload(expressions)
    ours_seconds, ours = run_ours(cases, runs)
    theirs_seconds, theirs = run_croniter(cases, runs)
    compared = identical = 0
    for mine, (other, gave_up) in zip(ours, theirs):
        mine = mine[: len(other)] if gave_up else mine
        compared += 1
        identical += [r.astimezone(timezone.utc) for r in mine] == [r.astimezone(timezone.utc) for r in other]
    total_ours = sum(len(r) for r in ours)
    total_theirs = sum(len(r) for r, _ in theirs)
    print(f"{expressions} cron expressions x next {runs} runs, zones: {', '.join(z or 'UTC' for z in ZONES)}")
    print(f"  mw-constructs : {ours_seconds:7.3f} s  {total_ours / ours_seconds:10.0f} runs/s")
    print(f"  aws-croniter  : {theirs_seconds:7.3f} s  {total_theirs / theirs_seconds:10.0f} runs/s")
    print(f"  time ratio    : {ours_seconds / theirs_seconds:7.3f}  (target <= 0.5)")
    print(f"  identical     : {identical}/{compared} expressions")
    try:
        print(f"CLI start-up (mw-constructs --help, best of 5): {cli_start_seconds():.3f} s (target < 0.3 s)")
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        print(f"CLI start-up: not measured ({error})")


if __name__ == "__main__":
    main()
