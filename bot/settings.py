"""Runtime settings, read from the environment and ``.env`` (pydantic-settings).

Every setting is listed with a comment in ``.env.example``. A bad value stops start-up with
one line naming the setting (see :func:`load_settings`).
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_QUIET_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,256}$")
_BOT_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")


class SettingsError(Exception):
    """A setting has a bad value; the message names the setting in one line."""


class Settings(BaseSettings):
    """All of Tin Báo's configuration. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    data_dir: Path = Field(default=Path("data"), description="Folder for the SQLite file and files")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in data_dir")
    forms_dir: Path | None = Field(default=None, description="Form files; empty = shipped forms")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_bot_username: str = Field(default="", description="For invite deep links")

    zalo_bot_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None

    timezone: str = "Asia/Ho_Chi_Minh"
    quiet_hours: str = "21:00-06:30"
    commune_code: int | None = None

    report_signer_name: str = ""
    report_signer_title: str = "CHỦ TỊCH"
    report_signer_authority: str = "TM. ỦY BAN NHÂN DÂN"
    province_signer_name: str = ""
    province_signer_title: str = "CHỦ TỊCH"
    province_signer_authority: str = "TM. ỦY BAN NHÂN DÂN"

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_secret_key: SecretStr | None = Field(
        default=None, description="Signs web session cookies; empty = random key per start"
    )
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    telegram_rate_per_second: float = Field(default=30.0, gt=0)
    zalo_rate_per_second: float = Field(default=10.0, gt=0)
    chat_rate_per_second: float = Field(default=1.0, gt=0)
    outbox_max_attempts: int = Field(default=20, ge=1, le=100)
    alert_ack_minutes: int = Field(
        default=5, ge=1, le=240, description="Minutes an urgent alert waits for «Đã tiếp nhận»"
    )

    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours_format(cls, value: str) -> str:
        if value.strip() == "":
            return ""
        match = _QUIET_HOURS.match(value)
        if not match or int(match[1]) > 23 or int(match[3]) > 23:
            raise ValueError("expected HH:MM-HH:MM, e.g. 21:00-06:30, or empty for none")
        if int(match[2]) > 59 or int(match[4]) > 59:
            raise ValueError("minutes must be 00-59")
        return value

    @field_validator("telegram_api_url", "zalo_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("telegram_webhook_secret", "zalo_webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("8-256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("web_secret_key")
    @classmethod
    def _web_secret_length(cls, value: SecretStr | None) -> SecretStr | None:
        # A short key can be brute-forced offline from one cookie, then sessions forged.
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("at least 32 characters (see .env.example)")
        return value

    @field_validator("telegram_bot_username")
    @classmethod
    def _bot_username(cls, value: str) -> str:
        # People copy it from BotFather with the '@'; the t.me link needs it without.
        name = value.strip().removeprefix("@")
        if name and not _BOT_USERNAME.match(name):
            raise ValueError("a Telegram bot username: 5-32 characters of A-Z a-z 0-9 _")
        return name

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return upper

    # --- derived values -------------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'tinbao.db'}"

    @property
    def quiet_window(self) -> tuple[time, time] | None:
        """The quiet hours as (start, end) local times, or None when disabled."""
        match = _QUIET_HOURS.match(self.quiet_hours)
        if not match:
            return None
        return time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def reports_dir(self) -> Path:
        """Where /summary and the dashboard write the report files they build."""
        return self.data_dir / "reports"


def load_settings(**overrides: object) -> Settings:
    """Build settings; turn a validation error into a one-line :class:`SettingsError`."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "?"
        raise SettingsError(f"Cấu hình sai: {name} — {first['msg']}") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings (cached). Tests build their own with :func:`load_settings`."""
    return load_settings()
