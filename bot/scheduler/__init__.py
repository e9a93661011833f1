"""Deadlines, reminders and escalation: what is due when (``plan``), enqueueing it
(``reminders``), one scheduler process at a time (``leader``), and the APScheduler loop
(``runner``)."""
