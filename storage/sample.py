"""Sample data for Xã Tây Trà (Quảng Ngãi, 21154): roster and directives, for the playground,
demos and tests. Every person in it is invented (see ``storage/sample/README.md``).

:func:`seed_sample` is idempotent: a second call finds everything in place and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.messages import t
from storage.commune import resolve_commune, save_commune
from storage.directives import DirectiveFields, save_directive
from storage.enums import Recurrence, UnitKind
from storage.models import Commune
from storage.roster import ImportResult, import_roster
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.settings import Settings

SAMPLE_ROSTER = Path(__file__).parent / "sample" / "tay_tra_roster_mau.csv"
SAMPLE_PROVINCE = "Quảng Ngãi"
SAMPLE_COMMUNE = "Tây Trà"

SAMPLE_DIRECTIVES: tuple[DirectiveFields, ...] = (
    # The province's order; the commune passed it on with its own công văn of 05/09/2025.
    DirectiveFields(
        number="1949/UBND-NC",
        issued_on=date(2025, 8, 28),
        issuer="UBND tỉnh Quảng Ngãi",
        summary="Tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
        target_unit_kinds=(
            UnitKind.VILLAGE,
            UnitKind.POLICE,
            UnitKind.MILITARY,
            UnitKind.AGENCY,
        ),
        form_ids=("ket_qua_thuc_hien",),
        recurrence=Recurrence.NONE,
        starts_on=date(2025, 9, 5),
        unit_deadline=date(2025, 9, 14),
        report_deadline=date(2025, 9, 15),
    ),
    # Villages report every week, even when nothing happened ('không phát hiện').
    DirectiveFields(
        number="45/KH-UBND",
        issued_on=date(2025, 9, 1),
        issuer="UBND xã Tây Trà",
        summary="Báo cáo định kỳ tình hình an ninh trật tự hằng tuần",
        target_unit_kinds=(UnitKind.VILLAGE,),
        form_ids=("khong_phat_hien", "doi_tuong_kha_nghi"),
        recurrence=Recurrence.WEEKLY,
        starts_on=date(2025, 9, 8),
    ),
    DirectiveFields(
        number="46/KH-UBND",
        issued_on=date(2025, 9, 1),
        issuer="UBND xã Tây Trà",
        summary="Nhật ký tuần tra, kiểm soát hằng tuần",
        target_unit_kinds=(UnitKind.POLICE, UnitKind.MILITARY),
        form_ids=("nhat_ky_tuan_tra",),
        recurrence=Recurrence.WEEKLY,
        starts_on=date(2025, 9, 8),
    ),
)


@dataclass(frozen=True)
class SeedResult:
    commune_name: str
    commune_created: bool
    roster: ImportResult
    directives_created: int
    directives_updated: int
    history_filed: int = 0  # reports of the sample history filed by this call

    @property
    def changed(self) -> bool:
        return (
            self.commune_created
            or self.roster.changed
            or bool(self.directives_created or self.directives_updated or self.history_filed)
        )


class SampleRefused(Exception):
    """The database holds real communes: invented people must not be mixed into them."""

    def __init__(self, communes: list[str]) -> None:
        super().__init__(t("cli.sample.refused", communes=", ".join(communes)))


def seed_sample(session: Session, *, with_history: Settings | None = None) -> SeedResult:
    """Save the sample Xã Tây Trà (marked as sample), import its roster, add its directives;
    ``with_history``: also its recent reports up to now (:mod:`handlers.sample_history`).

    Refuses (:class:`SampleRefused`) when the database already serves real communes.
    """
    real = session.exec(select(Commune.name).where(col(Commune.sample).is_(False))).all()
    if real:
        raise SampleRefused(list(real))
    match = resolve_commune(SAMPLE_PROVINCE, SAMPLE_COMMUNE)
    created = session.exec(select(Commune).where(Commune.code == match.code)).first() is None
    commune = save_commune(session, match, sample=True)
    assert commune.id is not None
    roster = import_roster(session, SAMPLE_ROSTER, commune_id=commune.id)
    outcomes = [save_directive(session, fields, commune.id)[1] for fields in SAMPLE_DIRECTIVES]
    return SeedResult(
        commune_name=commune.name,
        commune_created=created,
        roster=roster,
        directives_created=outcomes.count("created"),
        directives_updated=outcomes.count("updated"),
        history_filed=_history(session, with_history) if with_history else 0,
    )


def _history(session: Session, settings: Settings) -> int:
    from handlers.sample_history import seed_sample_history  # the dialog's code paths

    return seed_sample_history(session, settings, utcnow())
