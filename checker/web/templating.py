"""The Jinja environment of the workspace's pages. Autoescaping is on for every template: report
text (titles, agency names, evidence) is untrusted and reaches markup only escaped. The few
pieces of ready markup come from checker.render (charts, evidence), which escapes what it
inserts; they are marked safe here and nowhere else."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Optional
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..messages import CATEGORY_LABELS, KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS, detail_message, result_message
from ..render.html import evidence_html, number
from ..render.results_text import percent
from .security import CSRF_FIELD, csrf_token

STATUS_NAMES = {**STATUS_LABELS["zh"], "waived": "已豁免"}
DECISION_NAMES = {"confirmed": "已确认", "dismissed": "已驳回（误报）", "waived": "已豁免"}
STALE_NAMES = {"changed": "问题已变化，请重新复核", "gone": "重新检查后问题已消失"}


def _number(value: Optional[Decimal]) -> str:
    return number(value)


def _query(params: Mapping[str, Any], **changes: Any) -> str:
    """The query string of the current filter with some keys changed (None drops a key)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


def _csrf_input(request: Any) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token(request))


def environment(folder: Path) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(
        number=_number, percent=percent,
        kind=lambda k: KIND_LABELS["zh"].get(k or "", "未识别"),
        severity=lambda s: SEVERITY_LABELS["zh"].get(s, s),
        category=lambda c: CATEGORY_LABELS["zh"].get(c, c),
        status=lambda s: STATUS_NAMES.get(s, s),
        decision=lambda d: DECISION_NAMES.get(d, d),
        stale=lambda s: STALE_NAMES.get(s, s),
        evidence=lambda item, category: Markup(evidence_html(item, category)),
        message=lambda result: result_message(result, "zh"),
        detail=lambda d: detail_message(d, "zh"),
        safe_svg=Markup,  # charts from checker.render.html: markup with every text escaped
    )
    env.globals.update(query=_query, csrf_input=_csrf_input)
    return env
