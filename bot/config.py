"""Settings from the environment, in one place. Secrets are SecretStr: never logged or shown."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def machine_timezone() -> str:
    """The machine's IANA zone: $TZ if it names one, else /etc/localtime's target, else UTC."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz or tz == "UTC":
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///followthrough.db", validation_alias="DATABASE_URL")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    log_format: str = Field("plain", validation_alias="LOG_FORMAT")  # "json": one JSON object per line
    health_port: int | None = Field(None, validation_alias="HEALTH_PORT")  # /healthz of the Discord bot, the worker

    # Slack
    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")
    slack_api_url: str | None = Field(None, validation_alias="SLACK_API_URL")
    slack_staff_usergroup: str | None = Field(None, validation_alias="SLACK_STAFF_USERGROUP")
    port: int = Field(3000, validation_alias="PORT")

    # Discord
    discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    discord_api_url: str | None = Field(None, validation_alias="DISCORD_API_URL")
    discord_shard_ids: str | None = Field(None, validation_alias="DISCORD_SHARD_IDS")
    discord_shard_count: int | None = Field(None, validation_alias="DISCORD_SHARD_COUNT")
    discord_global_rate: float = Field(47.5, validation_alias="DISCORD_GLOBAL_RATE")
    discord_dm_notice_channels: str | None = Field(None, validation_alias="DISCORD_DM_NOTICE_CHANNELS")
    discord_staff_role: str | None = Field(None, validation_alias="DISCORD_STAFF_ROLE")  # a role id or name

    # The dispatcher
    dispatch_batch: int = Field(200, validation_alias="DISPATCH_BATCH")
    dispatch_lease_seconds: float = Field(60.0, validation_alias="DISPATCH_LEASE_SECONDS")
    dispatch_max_attempts: int = Field(8, validation_alias="DISPATCH_MAX_ATTEMPTS")

    def platform(self) -> str:
        """What `python -m bot` with no argument runs: slack, discord, or the console."""
        if self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token):
            return "slack"
        if self.slack_client_id and self.slack_client_secret and self.slack_signing_secret:
            return "slack"
        if self.discord_token:
            return "discord"
        return "console"


@lru_cache(maxsize=1)
def load() -> Config:
    return Config()
