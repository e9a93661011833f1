from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_use_sqlite_under_data_dir(tmp_path: Path) -> None:
    s = load_settings(data_dir=tmp_path, _env_file=None)
    assert s.effective_database_url == f"sqlite:///{tmp_path / 'tinbao.db'}"
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.quiet_window is not None
    start, end = s.quiet_window
    assert (start.hour, start.minute, end.hour, end.minute) == (21, 0, 6, 30)


def test_env_file_is_read_and_empty_values_mean_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "TELEGRAM_API_URL=http://127.0.0.1:9999/\nCOMMUNE_CODE=\nTIMEZONE=Asia/Bangkok\n"
    )
    s = load_settings(_env_file=str(env))
    assert s.telegram_api_url == "http://127.0.0.1:9999"  # trailing slash dropped
    assert s.commune_code is None
    assert s.timezone == "Asia/Bangkok"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("quiet_hours", "9pm-6am"),
        ("quiet_hours", "25:00-06:00"),
        ("telegram_api_url", "api.telegram.org"),
        ("zalo_webhook_secret", "short"),
        ("web_port", 70000),
        ("log_level", "LOUD"),
    ],
)
def test_bad_value_names_the_setting_in_one_line(name: str, value: object) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(_env_file=None, **{name: value})
    message = str(info.value)
    assert name.upper() in message
    assert "\n" not in message


def test_bad_value_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Nowhere/Town")
    with pytest.raises(SettingsError, match="TIMEZONE"):
        load_settings(_env_file=None)


def test_env_example_lists_every_setting() -> None:
    from bot.settings import Settings

    example = (Path(__file__).parents[2] / ".env.example").read_text(encoding="utf-8")
    listed = {
        line.split("=", 1)[0] for line in example.splitlines() if "=" in line and line[0] != "#"
    }
    assert listed == {name.upper() for name in Settings.model_fields}
