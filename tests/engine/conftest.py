from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.context import AppContext
from tests.engine.harness import Clock, Harness


@pytest.fixture
def harness(app_ctx: AppContext) -> Harness:
    """The sample Tây Trà commune on a fresh DB, at 09:00 10/09/2025 Hà Nội time."""
    h = Harness(app_ctx, Clock(datetime(2025, 9, 10, 2, 0, tzinfo=UTC)))
    h.seed()
    return h
