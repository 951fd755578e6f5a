"""The rule engine: rule packs, their expressions and kinds, evaluation against a report, and
scoring. Everything outside this package uses the names below.

    pack = load_pack()                      # rules/*.toml, compiled once per run
    profile = get_profile("default")        # rules/profiles/default.toml
    result = check_report(report, pack, profile)

Inside: ``pack`` (load and validate rule files), ``expr`` (the expression language),
``kinds`` (rule kinds, a registry), ``context`` and ``vocabulary`` (what expressions read from a
report), ``evaluation`` and ``runner`` (one rule, then a whole report), ``inputs`` (what a report
lacks, and whose doing that is), ``roots`` (which finding another follows from), ``scoring``
(profiles, score, grade, coverage) and ``examples`` (the inline pass/fail examples of every rule).
"""
from .pack import Rule, RulePack, load_pack, rule_files
from .runner import Comparison, check_report, error_result, make_view, meta_dict, run_rule
from .scoring import DEFAULT_PROFILE, Profile, available_profiles, get_profile, load_profile

__all__ = [
    "Rule", "RulePack", "load_pack", "rule_files",
    "Comparison", "check_report", "error_result", "make_view", "meta_dict", "run_rule",
    "DEFAULT_PROFILE", "Profile", "available_profiles", "get_profile", "load_profile",
]
