"""Draw window runs over a period as a self-contained SVG calendar (pure Python).

One row per window, one bar per run from opening to closing, the cutoff part (no new
tasks) hatched, runs that overlap another window of the same patch group outlined in
red, runs that may be skipped (starting before the previous run has closed) dashed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from html import escape as _escape
import re
from typing import List, Optional, Sequence, Set, Tuple

from ..readback.account import PastExecution
from ..schedule import WindowRun

WIDTH = 1280
LEFT = 300  # the label column
RIGHT = 20
TOP = 104
ROW = 58
BAR = 22
PALETTE = ("#2b6cb0", "#2f855a", "#b7791f", "#6b46c1", "#c05621", "#2c7a7b", "#97266d", "#4a5568")


#: Characters XML 1.0 does not allow in a document (C0 controls other than tab and line breaks,
#: lone surrogates, U+FFFE and U+FFFF): a window name or an execution id read from a file or from
#: the API could hold them, and one would make the whole SVG unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` for an SVG attribute or element: markup escaped, characters XML forbids replaced by U+FFFD."""
    return _escape(_NOT_XML.sub("\ufffd", text))


EXECUTION_COLOURS = {"SUCCESS": "#38a169", "FAILED": "#e53e3e", "TIMED_OUT": "#e53e3e", "CANCELLED": "#dd6b20",
                     "SKIPPED_OVERLAPPING": "#dd6b20"}


@dataclass(frozen=True)
class CalendarRow:
    """One window: its label, up to two description lines, and its runs in the period."""

    label: str
    detail: str
    runs: Sequence[WindowRun]
    overlapping: Set[int]  # indexes of runs that overlap another window of the same patch group
    title: str = ""  # hover text of the row label, e.g. the schedule expression
    executions: Sequence[PastExecution] = ()  # what SSM ran (drawn under the planned runs)
    #: Set when the window has too many runs in the period to draw one by one: the row is one band
    #: from its first opening to this moment (the end of the period, or of the schedule).
    dense_until: Optional[datetime] = None


#: How many characters of the title fit the width at its size (about 10 px each in bold 18 px).
TITLE_CHARACTERS = (WIDTH - 32) // 10


def x_of(moment: datetime, start: datetime, end: datetime) -> float:
    """Horizontal position of ``moment`` on the time axis (clamped to the period)."""
    span = (end - start).total_seconds()
    fraction = min(max((moment - start).total_seconds() / span, 0.0), 1.0)
    return LEFT + fraction * (WIDTH - LEFT - RIGHT)


def render(rows: Sequence[CalendarRow], *, start: datetime, end: datetime, zone: tzinfo, zone_name: str, title: str) -> str:
    """The SVG document (a string) for ``rows`` between ``start`` and ``end``."""
    history, dense = any(row.executions for row in rows), any(row.dense_until is not None for row in rows)
    legend = 110 + (18 if history and dense else 0)  # below the rows: the legend, five items or six
    height = TOP + ROW * max(len(rows), 1) + legend
    parts: List[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        "<defs><pattern id=\"cutoff\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        "<rect width=\"6\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.35\"/>"
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1a202c\" stroke-width=\"2\" stroke-opacity=\"0.55\"/></pattern></defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="16" y="28" font-size="18" font-weight="bold">{escape(_shorten(title, TITLE_CHARACTERS))}'
        + (f"<title>{escape(title)}</title>" if len(title) > TITLE_CHARACTERS else "") + "</text>",
        f'<text x="16" y="48" fill="#4a5568">{escape(_period_text(start, end, zone, zone_name))}</text>',
    ]
    parts += _day_grid(start, end, zone, height - legend)
    for index, row in enumerate(rows):
        parts += _row(index, row, start, end, zone)
    parts += _legend(TOP + ROW * max(len(rows), 1) + 24, history=history, dense=dense)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _period_text(start: datetime, end: datetime, zone: tzinfo, zone_name: str) -> str:
    first, last = start.astimezone(zone), (end - timedelta(seconds=1)).astimezone(zone)
    return f"{first:%a %d %b %Y} to {last:%a %d %b %Y}, times in {zone_name}"


def _day_grid(start: datetime, end: datetime, zone: tzinfo, bottom: int) -> List[str]:
    """Day lines (Mondays darker), week labels, day labels as wide as fit, and hour ticks
    (06, 12, 18) when a day is wide enough to read them. No label runs past the right edge."""
    parts = []
    day_width = (WIDTH - LEFT - RIGHT) / max((end - start).total_seconds() / 86400, 1)
    day = start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    first = True
    while day.replace(tzinfo=zone) < end:
        midnight = day.replace(tzinfo=zone)  # wall-clock midnight in the zone
        if midnight >= start:
            x = x_of(midnight, start, end)
            monday = midnight.weekday() == 0
            parts.append(f'<line x1="{x:.1f}" y1="{TOP - 12}" x2="{x:.1f}" y2="{bottom}" '
                         f'stroke="{"#718096" if monday else "#e2e8f0"}" stroke-width="{1.5 if monday else 1}"/>')
            week = f"{midnight:%a %d %b}"
            if (monday or first) and _fits(x + 3, week, 6.6):
                parts.append(f'<text x="{x + 3:.1f}" y="{TOP - 30}" font-size="11" font-weight="bold" '
                             f'fill="#2d3748">{escape(week)}</text>')
            label = f"{midnight:%a %d}" if day_width >= 48 else (f"{midnight.day}" if day_width >= 16 else "")
            if label and _fits(x + 3, label, 6.0):
                parts.append(f'<text x="{x + 3:.1f}" y="{TOP - 15}" font-size="10" fill="#4a5568">{escape(label)}</text>')
            first = False
        if day_width >= 96:
            for hour in (6, 12, 18):
                tick = (day + timedelta(hours=hour)).replace(tzinfo=zone)
                if start <= tick < end:
                    x = x_of(tick, start, end)
                    parts.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#edf2f7"/>')
                    if _fits(x - 6, "00", 5.5):
                        parts.append(f'<text x="{x - 6:.1f}" y="{TOP - 2}" font-size="9" fill="#a0aec0">{hour:02d}</text>')
        day += timedelta(days=1)
    return parts


def _fits(x: float, text: str, char_width: float) -> bool:
    """Whether ``text`` starting at ``x`` ends inside the drawing."""
    return x + len(text) * char_width <= WIDTH - 4


def _row(index: int, row: CalendarRow, start: datetime, end: datetime, zone: tzinfo) -> List[str]:
    y = TOP + index * ROW
    colour = PALETTE[index % len(PALETTE)]
    parts = [
        f'<rect x="0" y="{y}" width="{WIDTH}" height="{ROW}" fill="{"#f7fafc" if index % 2 else "#ffffff"}" fill-opacity="0.6"/>',
        f'<text x="16" y="{y + 18}" font-weight="bold">{escape(_shorten(row.label, 44))}'
        + (f"<title>{escape(row.title)}</title>" if row.title else "") + "</text>",
    ]
    for number, line in enumerate(row.detail.splitlines()[:2]):
        parts.append(f'<text x="16" y="{y + 33 + 13 * number}" font-size="10" fill="#4a5568">{escape(_shorten(line, 56))}</text>')
    bar_y = y + (ROW - BAR) / 2
    if row.dense_until is not None and row.runs:
        parts.append(_band(row, colour, bar_y, start, end, zone))
    for run_index, run in enumerate(row.runs if row.dense_until is None else ()):
        x1, x2, xc = (x_of(moment, start, end) for moment in (run.opens, run.closes, run.cutoff))
        width = max(x2 - x1, 2.0)
        tip = escape(_tooltip(run, zone))
        common = (f'data-window="{escape(row.label)}" data-opens="{run.opens.isoformat()}" '
                  f'data-closes="{run.closes.isoformat()}" x="{x1:.2f}" y="{bar_y:.1f}" width="{width:.2f}" height="{BAR}"')
        if run.skipped:
            parts.append(f'<rect class="run skipped" {common} fill="none" stroke="#c53030" stroke-dasharray="3 2">'
                         f"<title>may be skipped: {tip}</title></rect>")
            continue
        clash = run_index in row.overlapping
        stroke = ' stroke="#e53e3e" stroke-width="3"' if clash else ""
        parts.append(f'<rect class="run{" overlap" if clash else ""}" {common} fill="{colour}" rx="2"{stroke}>'
                     f"<title>{tip}</title></rect>")
        if x2 - xc > 0.5:
            parts.append(f'<rect class="cutoff" x="{xc:.2f}" y="{bar_y:.1f}" width="{x2 - xc:.2f}" height="{BAR}" '
                         f'fill="url(#cutoff)"/>')
    for execution in row.executions:  # a strip under the bar: what SSM actually ran, in its status colour
        x1 = x_of(execution.start, start, end)
        x2 = x_of(execution.end or execution.start, start, end)
        colour_of = EXECUTION_COLOURS.get(execution.status, "#718096")
        parts.append(f'<rect class="execution" data-status="{escape(execution.status)}" '
                     f'data-execution="{escape(execution.execution_id)}" x="{x1:.2f}" y="{bar_y + BAR + 2:.1f}" '
                     f'width="{max(x2 - x1, 3.0):.2f}" height="5" fill="{colour_of}">'
                     f"<title>{escape(execution.status)}: started {execution.start.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"
                     f" ({escape(execution.execution_id)})</title></rect>")
    return parts


def _band(row: CalendarRow, colour: str, bar_y: float, start: datetime, end: datetime, zone: tzinfo) -> str:
    """A window with more runs than can be drawn: one band from its first opening on, outlined red
    when one of its first runs overlaps another window of the same patch group."""
    first = row.runs[0].opens
    x1, x2 = x_of(first, start, end), x_of(row.dense_until or end, start, end)
    clash = bool(row.overlapping)
    stroke = ' stroke="#e53e3e" stroke-width="3"' if clash else ""
    tip = (f"more runs than can be drawn one by one, the first {_tooltip(row.runs[0], zone)}"
           + ("; some of the first runs overlap another window of the same patch group" if clash else ""))
    return (f'<rect class="run dense{" overlap" if clash else ""}" data-window="{escape(row.label)}" '
            f'data-opens="{first.isoformat()}" x="{x1:.2f}" y="{bar_y:.1f}" width="{max(x2 - x1, 2.0):.2f}" '
            f'height="{BAR}" fill="{colour}" fill-opacity="0.55" rx="2"{stroke}><title>{escape(tip)}</title></rect>')


def _legend(y: int, *, history: bool = False, dense: bool = False) -> List[str]:
    items: List[Tuple[str, str]] = [
        ('<rect x="{x}" y="{y}" width="26" height="12" fill="#2b6cb0" rx="2"/>', "window open: tasks may start"),
        ('<rect x="{x}" y="{y}" width="26" height="12" fill="#2b6cb0"/><rect x="{x}" y="{y}" width="26" height="12" '
         'fill="url(#cutoff)"/>', "cutoff: open, but no new tasks start"),
        ('<rect x="{x}" y="{y}" width="26" height="12" fill="#2b6cb0" stroke="#e53e3e" stroke-width="3"/>',
         "open at the same time as another window of the same patch group"),
        ('<rect x="{x}" y="{y}" width="26" height="12" fill="none" stroke="#c53030" stroke-dasharray="3 2"/>',
         "may be skipped: starts before the previous run has closed"),
    ]
    if dense:
        items.append(('<rect x="{x}" y="{y}" width="26" height="12" fill="#2b6cb0" fill-opacity="0.55" rx="2"/>',
                      "more runs than can be drawn one by one: one band from the first opening"))
    if history:
        items.append(('<rect x="{x}" y="{y}" width="26" height="5" fill="#e53e3e"/>',
                      "past execution (from SSM): green succeeded, red failed or timed out, orange cancelled or skipped"))
    parts = [f'<text x="16" y="{y}" font-weight="bold">Legend</text>']
    for number, (shape, text) in enumerate(items):
        row_y = y + 12 + number * 18
        parts.append(shape.format(x=16, y=row_y))
        parts.append(f'<text x="50" y="{row_y + 10}">{escape(text)}</text>')
    return parts


def _tooltip(run: WindowRun, zone: tzinfo) -> str:
    opens, cutoff, closes = (moment.astimezone(zone) for moment in (run.opens, run.cutoff, run.closes))
    return f"opens {opens:%a %Y-%m-%d %H:%M %Z}, last task start {cutoff:%H:%M}, closes {closes:%a %H:%M %Z}"


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters; a trailing `` [Region]`` (a StackSet's or a
    follow-the-sun window's copy) is kept whole, so the copies stay apart: the head is cut instead."""
    if len(text) <= limit:
        return text
    head, bracket, suffix = text.rpartition(" [")
    if bracket and suffix.endswith("]") and len(suffix) + 2 < limit - 8:
        return head[: limit - len(suffix) - 3] + "…" + bracket + suffix
    return text[: limit - 1] + "…"
