"""What a run checks with, assembled once from its settings (checker.config): the rule pack (the
shipped one, or ``--rules``, plus ``extend-rules``), the profile (with what it extends), the
selection, the waivers, and the provenance every output records.

Every name a setting gives is checked here: an unknown rule or family in ``select``/``ignore``
(from an option or the configuration file), in the profile or in a waiver stops the run (exit 2)
with the closest valid ids, never a silent "0/0 rules"."""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Sequence

from .config import Settings, resolve
from .engine.pack import RulePack, load_pack
from .engine.profiles import find_profile, unknown_profile
from .engine.scoring import Profile, check_profile_rules, get_profile, load_profile
from .resources import profiles_dir
from .engine.selection import unknown_pattern
from .engine.waivers import WaiverFile, apply_waivers, load_waivers, warnings
from .errors import ConfigError, raise_all
from .formats import get_format
from .provenance import Provenance, provenance_of, run_date
from .results import ReportResult


@dataclass(frozen=True)
class Session:
    settings: Settings
    pack: RulePack
    profile: Profile
    waivers: Optional[WaiverFile] = None
    provenance: Provenance = field(default=None)  # type: ignore[assignment]

    def apply_waivers(self, result: ReportResult) -> ReportResult:
        if self.waivers is None:
            return result
        return apply_waivers(result, self.waivers.waivers, self.profile, today=run_date())

    def waiver_warnings(self, results: Sequence[ReportResult]) -> list[str]:
        return warnings(self.waivers, results, run_date()) if self.waivers is not None else []

    @property
    def messages_en(self) -> dict[str, str]:
        return {r.id: r.message_en for r in self.pack.rules if r.message_en}


def open_session(args: argparse.Namespace) -> Session:
    """The session of a command: its options, resolved against the configuration file."""
    return session_from(resolve(args), rules=getattr(args, "rules", None) or ())


def _profile(settings: Settings) -> Profile:
    """A shipped profile by name (cached), or a file, read afresh: it may change between runs
    of one process."""
    reference = str(settings["profile"])
    path = find_profile(reference)
    if path is None:
        raise settings.error("profile", unknown_profile(reference))
    return get_profile(reference) if path.parent == profiles_dir() else load_profile(path)


def _missing_paths(settings: Settings) -> list[ConfigError]:
    """Files and folders a setting names that do not exist, placed where the setting was given."""
    errors = [settings.error("extend-rules", f"no such file or folder: {path}", index)
              for index, path in enumerate(settings["extend-rules"]) if not Path(path).exists()]
    if settings["waivers"] and not Path(settings["waivers"]).is_file():
        errors.append(settings.error("waivers", f"no such waivers file: {settings['waivers']}"))
    return errors


def session_from(settings: Settings, rules: Sequence[str] = ()) -> Session:
    raise_all(_missing_paths(settings))
    pack = load_pack(rules, get_format(settings["spec"]), extend=settings["extend-rules"])
    known = pack.known_ids()
    profile = _profile(settings)
    errors: list[ConfigError] = []
    try:
        check_profile_rules(profile, known)
    except ConfigError as exc:
        errors.extend(exc.errors)
    for key in ("select", "ignore"):
        for index, pattern in enumerate(settings[key]):
            problem = unknown_pattern(pattern, known)
            if problem:
                errors.append(settings.error(key, problem, index))
    waivers = None
    if settings["waivers"]:
        setting = settings.setting("waivers")
        base = Path(setting.file).parent if setting.file else None
        try:
            waivers = load_waivers(settings["waivers"], known, base=base)
        except ConfigError as exc:
            errors.extend(exc.errors)
    raise_all(errors)
    profile = replace(profile, select=pack.current_ids(profile.select), ignore=pack.current_ids(profile.ignore),
                      overrides={pack.current_id(k): v for k, v in profile.overrides.items()})
    profile = profile.with_selection(pack.current_ids(settings["select"]), pack.current_ids(settings["ignore"]))
    if waivers is not None:
        waivers = replace(waivers, waivers=tuple(replace(w, rules=pack.current_ids(w.rules)) for w in waivers.waivers))
    provenance = provenance_of(pack, profile, waivers=settings["waivers"], config_file=settings.file)
    return Session(settings=settings, pack=pack, profile=profile, waivers=waivers, provenance=provenance)
