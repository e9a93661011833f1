from __future__ import annotations

import pytest

from storage.commune import ResolveError, resolve_commune


def test_tay_tra_resolves_to_official_code() -> None:
    match = resolve_commune("Quảng Ngãi", "Tây Trà")
    assert (match.code, match.name, match.short_name) == (21154, "Xã Tây Trà", "Tây Trà")
    assert match.province_name == "Quảng Ngãi"


@pytest.mark.parametrize("commune", ["tay tra", "XÃ TÂY TRÀ", "Xã Tây Trà"])
def test_case_diacritics_and_type_word_are_ignored(commune: str) -> None:
    assert resolve_commune("quang ngai", commune).code == 21154


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(ResolveError) as info:
        resolve_commune("Quảng Ngãi", "Sơn")
    assert info.value.kind == "ambiguous"
    names = {c.name for c in info.value.candidates}  # type: ignore[union-attr]
    assert {"Xã Sơn Mai", "Xã Sơn Hà"} <= names


def test_unknown_name_offers_close_matches() -> None:
    with pytest.raises(ResolveError) as info:
        resolve_commune("Quảng Ngãi", "Tay Traa")  # a typo
    assert info.value.kind == "unknown"
    assert any(c.code == 21154 for c in info.value.candidates)  # type: ignore[union-attr]


def test_unknown_province() -> None:
    with pytest.raises(ResolveError) as info:
        resolve_commune("Quang Ngai Xyz", "Tây Trà")
    assert info.value.kind == "unknown_province"
