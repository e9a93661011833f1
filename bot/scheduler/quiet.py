"""Quiet hours: the local night window in which no reminder is sent.

The window is ``(start, end)`` local times and may wrap midnight (21:00–06:30). A reminder
that falls due inside waits for the window's end.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

QuietWindow = tuple[time, time] | None


def in_quiet(moment: datetime, window: QuietWindow) -> bool:
    """Whether local ``moment`` lies in the window (start included, end excluded)."""
    if window is None:
        return False
    start, end = window
    now = moment.timetz().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def leave_quiet(moment: datetime, window: QuietWindow) -> datetime:
    """``moment`` itself when outside the window, else the window's end (same time zone)."""
    if window is None or not in_quiet(moment, window):
        return moment
    start, end = window
    end_today = moment.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    # Past the start of a window that wraps midnight: it ends tomorrow morning.
    if start > end and moment.timetz().replace(tzinfo=None) >= start:
        return end_today + timedelta(days=1)
    return end_today
