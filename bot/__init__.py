"""Tin Báo: the channel-neutral core of the commune field-reporting bot."""

__version__ = "0.1.0"
