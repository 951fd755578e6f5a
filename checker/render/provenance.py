"""What produced a result (checker.provenance.Provenance) and the waivers applied to a report, as
text and Markdown lines; JSON carries ``Provenance.as_dict()`` and ``AppliedWaiver.as_dict()``."""
from __future__ import annotations

import html
from typing import Any, Mapping, Optional

from ..messages import STATUS_LABELS, label, title_of
from ..provenance import Provenance
from ..results import AppliedWaiver, ReportResult
from .mdtext import md

_LABELS = {
    "zh": {"tool": "检查工具", "pack": "规则包", "extra": "另加规则文件", "profile": "评分方案", "extends": "继承",
           "waivers": "豁免文件", "config": "配置文件", "time": "检查时间", "sep": "；", "open": "（", "close": "）",
           "list": "、"},
    "en": {"tool": "checker", "pack": "rule pack", "extra": "extra rule files", "profile": "profile",
           "extends": "extends", "waivers": "waivers", "config": "configuration", "time": "run at", "sep": "; ",
           "open": " (", "close": ")", "list": ", "},
}


def provenance_parts(provenance: Provenance, lang: str = "zh") -> list[str]:
    t = _LABELS[lang]
    pack = f"{t['pack']} sha256:{provenance.short_hash}{t['open']}{provenance.format}"
    if provenance.extra_rule_files:
        pack += f"{t['sep']}{t['extra']} {t['list'].join(provenance.extra_rule_files)}"
    pack += t["close"]
    profile = f"{t['profile']} {provenance.profile_title}{t['open']}{provenance.profile}"
    if provenance.profile_extends:
        profile += f"{t['sep']}{t['extends']} {' → '.join(provenance.profile_extends)}"
    profile += t["close"]
    parts = [f"{t['tool']} xxgk {provenance.checker_version}", pack, profile]
    if provenance.waivers:
        parts.append(f"{t['waivers']} {provenance.waivers}")
    if provenance.config_file:
        parts.append(f"{t['config']} {provenance.config_file}")
    parts.append(f"{t['time']} {provenance.run_at}")
    return parts


def provenance_text(provenance: Optional[Provenance], lang: str = "zh") -> str:
    """One paragraph closing a text output."""
    if provenance is None:
        return ""
    return "——\n" + _LABELS[lang]["sep"].join(provenance_parts(provenance, lang))


def provenance_markdown(provenance: Optional[Provenance], lang: str = "zh") -> str:
    if provenance is None:
        return ""
    title = "检查依据" if lang == "zh" else "Provenance"
    return f"---\n\n**{title}**\n\n" + "\n".join(f"- {md(part)}" for part in provenance_parts(provenance, lang))


def waiver_text(waiver: AppliedWaiver, lang: str = "zh") -> str:
    if lang == "zh":
        expires = f"，有效至 {waiver.expires.isoformat()}" if waiver.expires else ""
        return f"{'、'.join(waiver.rules)}：{waiver.reason}（批准：{waiver.approved_by}{expires}；{waiver.source}）"
    expires = f", until {waiver.expires.isoformat()}" if waiver.expires else ""
    return f"{', '.join(waiver.rules)}: {waiver.reason} (approved by {waiver.approved_by}{expires}; {waiver.source})"


def waived_items(report: ReportResult, lang: str = "zh") -> list[str]:
    """Each waived finding of a report: rule, title, what it had reached, the waiver's reason."""
    out = []
    for result in report.results:
        if result.status != "waived":
            continue
        was = STATUS_LABELS[lang].get(result.waived_status or "", result.waived_status or "")
        reason = result.waiver.reason if result.waiver else ""
        if lang == "zh":
            out.append(f"{result.rule} {result.title}：已豁免（原为{was}）— {reason}")
        else:
            out.append(f"{result.rule} {title_of(result, lang)}: waived (was {was}) - {reason}")
    return out


def waived_lines(report: ReportResult, lang: str = "zh") -> list[str]:
    """The waived findings of a report and the waivers applied, for the text scorecard."""
    waived = waived_items(report, lang)
    if not waived and not report.waivers:
        return []
    lines = ["", "【已豁免】" if lang == "zh" else "[waived]"]
    lines.extend(f"  ~ {line}" for line in waived)
    label = "适用的豁免" if lang == "zh" else "waivers applied"
    for waiver in report.waivers:
        lines.append(f"  {label}：{waiver_text(waiver, lang)}" if lang == "zh" else f"  {label}: {waiver_text(waiver, lang)}")
    return lines


def waivers_markdown(report: ReportResult, lang: str = "zh") -> str:
    if not report.waivers:
        return ""
    title = "适用的豁免" if lang == "zh" else "Waivers applied"
    return f"**{title}**\n\n" + "\n".join(f"- {md(waiver_text(w, lang))}" for w in report.waivers)


# what a page's footer shows of Provenance.as_dict(), in this order
_FOOTER_KEYS = ("run_at", "checker_version", "pack_hash", "profile", "format", "extra_rule_files", "waivers",
                "config_file")


def provenance_footer(provenance: Mapping[str, Any], lang: str = "zh") -> str:
    """A page's footer: what produced it (Provenance.as_dict()), escaped: paths and titles are
    user data."""
    items = []
    for key in _FOOTER_KEYS:
        value = provenance.get(key)
        if key == "profile" and value:
            title = provenance.get("profile_title") or ""
            if title and title != value:
                value = f"{value}（{title}）" if lang == "zh" else f"{value} ({title})"
            extends = provenance.get("profile_extends") or ()
            if extends:
                value += f"{_LABELS[lang]['sep']}{_LABELS[lang]['extends']} {' → '.join(extends)}"
        if isinstance(value, (list, tuple)):
            value = label("list_sep", lang).join(map(str, value))
        if value:
            name = label(key, lang) if key != "config_file" else _LABELS[lang]["config"]
            items.append(f"<div><dt>{html.escape(name)}</dt><dd>{html.escape(str(value))}</dd></div>")
    return f'<footer class="provenance"><dl>{"".join(items)}</dl></footer>\n'
