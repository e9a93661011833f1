"""Office, police and leader commands (progress, reminders, summary) — wired as they land."""

from __future__ import annotations
