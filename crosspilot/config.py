"""Runtime settings, from arguments or the environment; nothing here knows about Dash."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from crosspilot.dataset import BUNDLED

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Config:
    data_dir: Path = BUNDLED
    # None disables the Parquet cache (tests that must see every file read use that).
    cache_dir: Path | None = PROJECT_ROOT / "instance" / "cache"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    language: str = "en"

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        """CROSSPILOT_DATA, CROSSPILOT_CACHE ('off' disables), CROSSPILOT_LANGUAGE, then overrides."""
        config = cls()
        env = os.environ
        if env.get("CROSSPILOT_DATA"):
            config = replace(config, data_dir=Path(env["CROSSPILOT_DATA"]))
        cache = env.get("CROSSPILOT_CACHE")
        if cache:
            config = replace(config, cache_dir=None if cache.lower() == "off" else Path(cache))
        if env.get("CROSSPILOT_LANGUAGE"):
            config = replace(config, language=env["CROSSPILOT_LANGUAGE"])
        return replace(config, **{k: v for k, v in overrides.items() if v is not None})
