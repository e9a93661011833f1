"""One commune with one village, for tests that need a unit to hang members on."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import Commune, Unit


def one_village(session: Session) -> Unit:
    """Add Xã A and its Thôn Một (flushed: both have ids)."""
    commune = Commune(code=1, name="Xã A", short_name="A", province_code=1, province_name="T")
    session.add(commune)
    session.flush()
    unit = Unit(commune_id=commune.id or 0, name="Thôn Một", kind="village")
    session.add(unit)
    session.flush()
    return unit
