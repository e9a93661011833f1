"""What a channel sender raises when a delivery does not go through.

The outbox sender decides what happens next from the type alone: wait and retry the chat
(:class:`RetryLater`), back off and retry (:class:`TransientError`), or give up and tell the
admins (:class:`PermanentError`). ``parts_sent`` lets a sender report how many parts of a
split message did arrive before the failure, so a retry does not send them twice.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """Base class: a delivery failed. ``parts_sent`` counts parts delivered in total."""

    def __init__(self, message: str, *, parts_sent: int = 0) -> None:
        super().__init__(message)
        self.parts_sent = parts_sent


class RetryLater(DeliveryError):
    """Flood control (HTTP 429): do not send to this chat again for ``retry_after`` seconds."""

    def __init__(self, retry_after: float, message: str = "", *, parts_sent: int = 0) -> None:
        super().__init__(message or f"429 retry after {retry_after:g}s", parts_sent=parts_sent)
        self.retry_after = max(0.0, float(retry_after))


class TransientError(DeliveryError):
    """Timeouts, 5xx answers, dropped connections: worth trying again later."""


class PermanentError(DeliveryError):
    """Retrying cannot help (400 bad request, 403 blocked).

    ``unreachable`` is True when the person refused the bot (blocked it): the outbox then
    marks the member unreachable and drops the chat's other pending messages.
    """

    def __init__(self, message: str, *, unreachable: bool = False, parts_sent: int = 0) -> None:
        super().__init__(message, parts_sent=parts_sent)
        self.unreachable = unreachable
