"""Typed errors of the Zalo Bot API client (:mod:`bot.channels.zalo_client`).

One class per decision the caller has to make, so the outbox can map them without reading
descriptions: fix the configuration (:class:`ZaloUnauthorized`), give up on this message
(:class:`ZaloBadRequest`, :class:`ZaloForbidden`), wait as told (:class:`ZaloRetryAfter`), or
back off and retry (:class:`ZaloServerError`, :class:`ZaloNetworkError`). Anything else is a
plain :class:`ZaloError` with the code Zalo sent.

Messages never contain the bot token (it is part of every method URL).
"""

from __future__ import annotations

__all__ = [
    "ZaloBadRequest",
    "ZaloError",
    "ZaloFileTooLarge",
    "ZaloForbidden",
    "ZaloMalformedUpdate",
    "ZaloNetworkError",
    "ZaloRetryAfter",
    "ZaloServerError",
    "ZaloUnauthorized",
    "error_for",
]


class ZaloError(Exception):
    """Zalo answered ``ok: false`` (or not at all: ``code`` 0 for transport failures)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo {code}: {description}" if code else f"Zalo: {description}")
        self.code = code
        self.description = description


class ZaloUnauthorized(ZaloError):
    """401: the bot token is wrong or revoked — a configuration problem, not the message's."""


class ZaloBadRequest(ZaloError):
    """400: this request can never succeed as it is (text too long, bad chat id, bad URL …)."""


class ZaloForbidden(ZaloError):
    """403: the bot may not do this (e.g. write to this chat); retrying will not help."""


class ZaloRetryAfter(ZaloError):
    """429: slow down. ``retry_after`` is Zalo's hint in seconds, or None when it gave none."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(code, description)
        self.retry_after = retry_after


class ZaloServerError(ZaloError):
    """5xx: Zalo's side failed; the same request may succeed later."""


class ZaloNetworkError(ZaloError):
    """No usable answer: connection refused or dropped, timeout, garbled response.

    The request may or may not have taken effect; senders must tolerate a duplicate.
    """

    def __init__(self, description: str) -> None:
        super().__init__(0, description)


class ZaloFileTooLarge(ZaloError):
    """413: a download exceeded the client's size cap (the rest was not read)."""


class ZaloMalformedUpdate(ZaloError, ValueError):
    """An update this client cannot read (a field missing or of the wrong type).

    Also a ``ValueError``, so webhook code can treat it like any other bad input. Zalo hands
    each update out once, so the update is gone; the message says which field was wrong.
    """

    def __init__(self, description: str) -> None:
        super().__init__(0, description)


def error_for(code: int, description: str, retry_after: float | None = None) -> ZaloError:
    """The typed error for an ``error_code`` (or HTTP status when the body says nothing)."""
    if code == 429:
        return ZaloRetryAfter(code, description, retry_after)
    if code >= 500:
        return ZaloServerError(code, description)
    kind: type[ZaloError] = {
        400: ZaloBadRequest,
        401: ZaloUnauthorized,
        403: ZaloForbidden,
    }.get(code, ZaloError)
    return kind(code, description)
