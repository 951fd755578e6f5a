"""Skeletons for `xxgk rules new ID --kind KIND`: one working rule per kind, with one passing
and one failing example, for a policy author to change. Each passes `rules lint` and `rules
test` as written (a test checks it), so the author starts from green.

RULE_ID and RULE_NAME are replaced by the new rule's id and a name made from it."""
from __future__ import annotations

_HEAD = '''[[rule]]
id = "RULE_ID"
name = "RULE_NAME"
title = "TODO：用评估人员的话写出不合格的情形"
description = "TODO：这条规则检查什么、为什么。"
category = "CATEGORY"
severity = "medium"
basis = "TODO：法规或文件依据（如《政府信息公开条例》第五十条）"
kind = "KIND"
'''

_BODIES = {
    "assert": ("tables", '''needs = ["applications"]
assert = "applications['3.7'].total <= applications['1'].total + applications['2'].total"
message = "办理结果总计 {left} 多于本年新收与上年结转之和 {right}"

  [[rule.examples]]
  expect = "pass"
  tables.applications = { "*" = 0, "1" = [1, 0, 0, 0, 0, 0, 1], "3.7" = [1, 0, 0, 0, 0, 0, 1] }

  [[rule.examples]]
  expect = "fail"
  tables.applications = { "*" = 0, "3.7" = [1, 0, 0, 0, 0, 0, 1] }
'''),
    "cells": ("tables", '''table = "reviews_and_litigation"
require = ["number", "non_negative"]
message = "{item}：{cell_state}"

  [[rule.examples]]
  expect = "pass"
  tables.reviews_and_litigation = "zeros"

  [[rule.examples]]
  expect = "fail"
  tables.reviews_and_litigation = { "*" = 0, "administrative_review" = ["", 0, 0, 0, 0] }
'''),
    "keywords": ("structure", '''scope = [5]
require = "all"
message = "第五部分未写明：{missing}"

[[rule.groups]]
label = "存在的问题"
any = ["问题", "不足"]

[[rule.groups]]
label = "改进措施"
any = ["改进", "整改", "下一步"]

  [[rule.examples]]
  expect = "pass"
  parts = { 5 = "存在的主要问题是公开不够及时。下一步将加强整改。" }

  [[rule.examples]]
  expect = "fail"
  parts = { 5 = "本年度各项工作进展顺利。" }
'''),
    "claims": ("consistency", '''scope = "narrative"
message = "正文称{claim}，但表格为 {expected}"

[[rule.claims]]
label = "新收申请"
pattern = '新收政府信息公开申请(?P<n>\\d+)件'
expect = ["applications['1'].total"]

  [[rule.examples]]
  expect = "pass"
  parts = { 3 = "本年度新收政府信息公开申请3件。" }
  tables.applications = { "*" = 0, "1" = [3, 0, 0, 0, 0, 0, 3] }

  [[rule.examples]]
  expect = "fail"
  parts = { 3 = "本年度新收政府信息公开申请5件。" }
  tables.applications = { "*" = 0, "1" = [3, 0, 0, 0, 0, 0, 3] }
'''),
    "labels": ("tables", '''table = "active_disclosure"
label_kinds = ["row", "column"]
message = "主动公开情况表有{count}处栏目名称与规定格式不一致：{labels}"

  [[rule.examples]]
  expect = "pass"
  text = """
二、主动公开政府信息情况
第二十条第（一）项
信息内容	本年制发件数	本年废止件数	现行有效件数
规章	0	0	1
行政规范性文件	3	1	20
"""

  [[rule.examples]]
  expect = "fail"
  text = """
二、主动公开政府信息情况
第二十条第（一）项
信息内容	本年制发件数	本年度止件数	现行有效件数
规章	0	0	1
行政规范性文件	3	1	20
"""
'''),
    "repeats": ("quality", '''scope = "narrative"
min_chars = 20
message = "有{count}处段落重复：{passages}"

  [[rule.examples]]
  expect = "pass"
  parts = { 1 = "本年度新建政务公开专区十二个，开展政策解读二十八次。", 5 = "存在的问题是解读形式单一，下一步将引入视频解读。" }

  [[rule.examples]]
  expect = "fail"
  parts = { 1 = "本年度新建政务公开专区十二个，开展政策解读二十八次。", 5 = "本年度新建政务公开专区十二个，开展政策解读二十八次。" }
'''),
    "similarity": ("duplication", '''against = "previous"
scope = [1, 5]
threshold = "0.5"
message = "第一、五部分与上年度报告的相似度为 {similarity}（超过 {threshold}）"

  [[rule.examples]]
  expect = "pass"
  parts = { 1 = "2024年，我县新建政务公开专区12个，开展政策解读28次。", 5 = "存在的问题是解读形式单一，下一步将引入视频解读。" }
  previous = { parts = { 1 = "2023年，全县围绕营商环境发布信息三千条，举办新闻发布会九场。", 5 = "问题在于基层队伍薄弱，将加强培训。" } }

  [[rule.examples]]
  expect = "fail"
  parts = { 1 = "我县坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。", 5 = "存在的主要问题是政策解读形式较为单一，下一步将丰富解读形式。" }
  previous = { parts = { 1 = "我县坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。", 5 = "存在的主要问题是政策解读形式较为单一，下一步将丰富解读形式。" } }
'''),
}

KINDS = tuple(_BODIES)


def skeleton(rule_id: str, kind: str) -> str:
    """The TOML of a new rule of ``kind`` with the id ``rule_id``."""
    category, body = _BODIES[kind]
    name = "new-" + rule_id.lower()
    head = _HEAD.replace("RULE_ID", rule_id).replace("RULE_NAME", name)
    return head.replace("CATEGORY", category).replace("KIND", kind) + body
