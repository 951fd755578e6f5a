"""What produced a result (checker.provenance.Provenance) and the waivers applied to a report, as
text and Markdown lines; JSON carries ``Provenance.as_dict()`` and ``AppliedWaiver.as_dict()``."""
from __future__ import annotations

import html
from typing import Optional

from ..messages import STATUS_LABELS
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


def waived_lines(report: ReportResult, lang: str = "zh") -> list[str]:
    """The waived findings of a report and the waivers applied, for the text scorecard."""
    waived = [r for r in report.results if r.status == "waived"]
    if not waived and not report.waivers:
        return []
    lines = ["", "【已豁免】" if lang == "zh" else "[waived]"]
    for result in waived:
        was = STATUS_LABELS[lang].get(result.waived_status or "", result.waived_status or "")
        reason = result.waiver.reason if result.waiver else ""
        if lang == "zh":
            lines.append(f"  ~ {result.rule} {result.title}：已豁免（原为{was}）— {reason}")
        else:
            lines.append(f"  ~ {result.rule} {result.title}: waived (was {was}) - {reason}")
    label = "适用的豁免" if lang == "zh" else "waivers applied"
    for waiver in report.waivers:
        lines.append(f"  {label}：{waiver_text(waiver, lang)}" if lang == "zh" else f"  {label}: {waiver_text(waiver, lang)}")
    return lines


def waivers_markdown(report: ReportResult, lang: str = "zh") -> str:
    if not report.waivers:
        return ""
    title = "适用的豁免" if lang == "zh" else "Waivers applied"
    return f"**{title}**\n\n" + "\n".join(f"- {md(waiver_text(w, lang))}" for w in report.waivers)


def provenance_html(provenance: Optional[Provenance], lang: str = "zh") -> str:
    """A footer for a page of its own (escaped: paths and titles are user data)."""
    if provenance is None:
        return ""
    items = "".join(f"<li>{html.escape(part)}</li>" for part in provenance_parts(provenance, lang))
    return f'<footer class="provenance"><ul>{items}</ul></footer>'


def waivers_html(report: ReportResult, lang: str = "zh") -> str:
    """The waived findings and the waivers applied, for a page of its own (escaped)."""
    if not report.waivers:
        return ""
    title = "已豁免" if lang == "zh" else "Waived"
    waived = "".join(f"<li>{html.escape(line.strip())}</li>" for line in waived_lines(report, lang)[2:])
    return f'<section class="waivers"><h2>{title}</h2><ul>{waived}</ul></section>'
