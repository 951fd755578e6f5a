"""The rule engine: rule packs, their expressions and kinds, evaluation against a report, and
scoring. Everything outside this package uses the names below.

    pack = load_pack()                      # rules/*.toml, compiled once per run
    profile = get_profile("default")        # rules/profiles/default.toml
    result = check_report(report, pack, profile)
    result = apply_waivers(result, [Waiver(rules=("TB-010",), reason="…", approved_by="…")], profile)
    explanation = explain_rule(pack.get("TB-010"), make_view(report, pack.fmt))

Inside: ``pack`` (load and validate rule files), ``expr`` (the expression language),
``kinds`` (rule kinds, a registry), ``context`` and ``vocabulary`` (what expressions read from a
report), ``typecheck`` (expressions against the report model, before any report is read),
``evaluation`` and ``runner`` (one rule, then a whole report), ``inputs`` (what a report lacks, and
whose doing that is), ``roots`` (which finding another follows from), ``scoring`` and ``profiles``
(profiles that extend profiles; score, grade, coverage), ``selection`` (rule ids and families
as users name them), ``waivers`` (documented exceptions), ``explain`` (how a rule reached its
verdict), ``examples`` (the inline pass/fail examples of every rule) and ``skeletons`` (new rules).
"""
from .pack import Rule, RulePack, load_pack, rule_files
from .runner import Comparison, check_report, error_result, make_view, meta_dict, run_rule
from .scoring import DEFAULT_PROFILE, Profile, available_profiles, get_profile, load_profile
from .waivers import Waiver, apply_waivers, load_waivers

__all__ = [
    "Rule", "RulePack", "load_pack", "rule_files",
    "Comparison", "check_report", "error_result", "make_view", "meta_dict", "run_rule",
    "DEFAULT_PROFILE", "Profile", "available_profiles", "get_profile", "load_profile",
    "Waiver", "apply_waivers", "load_waivers", "explain_rule",
]


def __getattr__(name: str) -> object:
    # explain is for `xxgk explain` and `rules test`: `check` starts without it
    if name == "explain_rule":
        from .explain import explain_rule
        return explain_rule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
