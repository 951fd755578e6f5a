"""What produced a result, so that a score can be reproduced later: the checker's version, the
rule pack's content hash and the rule files beyond the shipped pack, the format, the profile (and
what it extends), the waivers file, and the time of the run.

Every output records it. The time honours ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention), so two runs with it set write byte-identical files."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Optional, Sequence

from . import __version__
from .resources import rules_dir


@dataclass(frozen=True)
class Provenance:
    checker_version: str
    pack_hash: str
    format: str
    profile: str
    profile_title: str = ""
    profile_extends: tuple[str, ...] = ()  # the chain of profiles it extends, nearest first
    extra_rule_files: tuple[str, ...] = ()  # rule files beyond the shipped pack
    waivers: Optional[str] = None
    run_at: str = ""  # ISO 8601, UTC, to the second
    waivers_hash: Optional[str] = None  # sha256 of the waivers file: the same exceptions applied
    config_file: Optional[str] = None  # the project configuration the settings came from
    profile_file: str = ""  # the profile's own file (its chain of files: see profile_extends)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checker_version": self.checker_version, "pack_hash": self.pack_hash, "format": self.format,
            "profile": self.profile, "profile_title": self.profile_title,
            "profile_extends": list(self.profile_extends), "extra_rule_files": list(self.extra_rule_files),
            "waivers": self.waivers, "waivers_hash": self.waivers_hash, "config_file": self.config_file,
            "run_at": self.run_at,
        }

    @property
    def short_hash(self) -> str:
        return self.pack_hash[:12]


def run_time() -> str:
    """Now, or SOURCE_DATE_EPOCH when it is set (reproducible outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def extra_files(files: Sequence[str]) -> tuple[str, ...]:
    """The rule files that are not part of the shipped pack."""
    shipped = rules_dir().resolve()
    out = []
    for file in files:
        try:
            Path(file).resolve().relative_to(shipped)
        except ValueError:
            out.append(str(file))
    return tuple(out)


def run_date() -> date:
    """Today (UTC) as the run sees it - SOURCE_DATE_EPOCH's day when it is set: whether a waiver
    has expired is decided against it, so a reproduced run decides the same."""
    return datetime.fromisoformat(run_time().replace("Z", "+00:00")).date()


def provenance_of(pack: Any, profile: Any, *, waivers: Optional[str] = None,
                  config_file: Optional[str] = None) -> Provenance:
    """The provenance of a run with this rule pack and profile (``profile.extends`` is read when
    the profile has it); ``waivers`` is the waivers file, whose content is hashed too."""
    waivers_hash = None
    if waivers:
        try:
            waivers_hash = hashlib.sha256(Path(waivers).read_bytes()).hexdigest()
        except OSError:
            waivers_hash = None
    return Provenance(
        checker_version=__version__, pack_hash=pack.digest, format=pack.fmt.id,
        profile=profile.id, profile_title=getattr(profile, "name", "") or profile.id,
        profile_extends=tuple(getattr(profile, "extends", ()) or ()),
        extra_rule_files=extra_files(pack.files), waivers=waivers, run_at=run_time(),
        waivers_hash=waivers_hash, config_file=config_file, profile_file=getattr(profile, "path", "") or "",
    )
