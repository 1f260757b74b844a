"""Settings from `SSJ_*` environment variables, with an optional `.env` file underneath."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

PREFIX = "SSJ_"
MAX_TOKEN_DAYS = 3660


class ConfigError(ValueError):
    pass


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep:
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Settings:
    """Every field is read from `SSJ_<FIELD NAME IN CAPITALS>`; the README has the table."""

    data_dir: Path = Path("var")
    db_url: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    log_level: str = "INFO"
    timezone: str = "Asia/Shanghai"
    high_risk_complaints: int = 3
    telegram_token: str = field(default="", repr=False)
    telegram_api_url: str = ""
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = field(default="", repr=False)
    font_path: str = ""
    # How long a token got by signing in with a one-time code works (days).
    token_days: int = 30
    # The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For
    # names the client: behind one, every request comes from the proxy's address.
    trusted_proxies: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.token_days <= MAX_TOKEN_DAYS:
            raise ConfigError(
                f"SSJ_TOKEN_DAYS must be between 1 and {MAX_TOKEN_DAYS}, got {self.token_days}"
            )
        _ = self.proxy_networks  # a wrong entry is refused at start, not at the first request

    @cached_property
    def proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        networks = []
        for entry in filter(None, (e.strip() for e in self.trusted_proxies.split(","))):
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ConfigError(
                    f"SSJ_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
                    " (e.g. 127.0.0.1,10.0.0.0/8)"
                ) from None
        return tuple(networks)

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite://{(self.data_dir / 'shuangsuiji.sqlite3').resolve()}"

    @classmethod
    def from_env(
        cls, environ: dict[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        env = dict(_read_dotenv(dotenv)) if dotenv else {}
        env.update(os.environ if environ is None else environ)
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            name = PREFIX + f.name.upper()
            if name not in env:
                continue
            raw = env[name]
            if f.type in ("int", int):
                try:
                    kwargs[f.name] = int(raw)
                except ValueError:
                    raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
            elif f.type in ("Path", Path):
                kwargs[f.name] = Path(raw)
            else:
                kwargs[f.name] = raw
        return cls(**kwargs)  # type: ignore[arg-type]
