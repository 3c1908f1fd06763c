"""The conformance matrix as one self-contained HTML page (inline CSS, no script, no external asset)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from steps.reports.failures import redacted
from steps.reports.not_applicable import NotApplicableGroup, groups
from steps.reports.verdicts import FAIL, NOT_APPLICABLE, VERDICTS

LABELS = {
    "pass": "pass",
    "fail": "fail",
    "known-deviation": "known deviation",
    "not-applicable": "not applicable",
    None: "unchecked",
}

STYLE = """
:root { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; }
body { margin: 0 auto; max-width: 78rem; padding: 1.5rem 2rem 4rem; }
h1 { margin: 0 0 .2rem; font-size: 1.6rem; }
h2 { margin: 2.2rem 0 .6rem; font-size: 1.15rem; }
h2 small { font-weight: normal; color: #57606a; margin-left: .6rem; }
.meta { color: #57606a; margin: 0 0 1.2rem; }
.tally { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .35rem 0; }
.tally > b { width: 8rem; }
.chip.zero { opacity: .45; font-weight: normal; }
code { font: .85em ui-monospace, monospace; background: #f3f4f6; padding: 0 .2em; border-radius: 3px; }
.chip { border-radius: 1rem; padding: .1rem .75rem; font-weight: 600; }
.v-pass { --fg: #116329; --bg: #dafbe1; }
.v-fail { --fg: #a40e26; --bg: #ffebe9; }
.v-known-deviation { --fg: #7d4e00; --bg: #fff1c2; }
.v-not-applicable { --fg: #424a53; --bg: #e6eaef; }
.v-unchecked { --fg: #6e7781; --bg: #fff; }
.chip, .badge, .cell.on, .sq { color: var(--fg); background: var(--bg); }
.v-unchecked .badge, .sq.v-unchecked, .chip.v-unchecked { border: 1px dashed #afb8c1; }
.overview { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 1.4rem 0; }
.overview .title { color: #57606a; font-size: .9rem; padding-top: .15rem; }
.squares { display: flex; flex-wrap: wrap; gap: 3px; }
.sq { display: inline-block; font: 600 .72rem/1 ui-monospace, monospace; padding: .3rem .3rem;
      border-radius: 3px; text-decoration: none; }
.row { display: grid; grid-template-columns: 5rem 1fr 8.5rem repeat(4, 4.6rem); gap: .6rem;
       align-items: center; padding: .35rem .6rem; }
.head { font-size: .78rem; color: #57606a; text-transform: uppercase; letter-spacing: .03em;
        border-bottom: 1px solid #d0d7de; }
.head span:nth-child(n+3) { text-align: center; }
.req { border-bottom: 1px solid #eaeef2; }
.req.v-unchecked { color: #8c959f; }
summary.row { cursor: pointer; list-style: none; }
summary.row::-webkit-details-marker { display: none; }
summary.row:hover { background: #f6f8fa; }
.id { font: 600 .85rem ui-monospace, monospace; }
details > summary .id::before { content: "\\25B8  "; color: #8c959f; }
details[open] > summary .id::before { content: "\\25BE  "; }
.stmt { font-size: .9rem; }
.badge { text-align: center; border-radius: 4px; padding: .1rem .3rem; font-size: .82rem; font-weight: 600; }
.cell { text-align: center; border-radius: 4px; font-variant-numeric: tabular-nums; color: #c9d1d9; }
.cell.on { font-weight: 600; }
ul.scenarios { list-style: none; margin: 0 0 .6rem 5.6rem; padding: 0; }
ul.scenarios li { display: grid; grid-template-columns: 8.5rem 1fr; gap: .6rem; padding: .25rem 0;
                  border-top: 1px dotted #eaeef2; font-size: .88rem; }
ul.scenarios li > .badge { align-self: start; }
.where { color: #57606a; font-size: .8rem; }
.example { font: .8rem ui-monospace, monospace; color: #424a53; }
.reason { color: var(--fg); font: .8rem ui-monospace, monospace; white-space: pre-wrap;
          word-break: break-word; }
.step { font-size: .85rem; margin: .3rem 0 .2rem; }
table.exchanges { border-collapse: collapse; font: .78rem/1.35 ui-monospace, monospace; width: 100%; }
table.exchanges th { text-align: left; font-weight: 600; color: #57606a; border-bottom: 1px solid #d0d7de; }
table.exchanges td, table.exchanges th { padding: .15rem .4rem; vertical-align: top; }
table.exchanges tr + tr td { border-top: 1px dotted #eaeef2; }
table.exchanges td { word-break: break-all; }
table.exchanges td.response { white-space: pre-wrap; max-width: 28rem; color: #424a53; }
.na { margin: 1.2rem 0; }
.na details { padding: .25rem .6rem; border-bottom: 1px solid #eaeef2; }
.na summary, li.group summary { cursor: pointer; }
.na summary .badge, li.group .badge { display: inline-block; min-width: 2.2rem; margin-right: .6rem; }
li.group ul.scenarios, .na ul.scenarios { margin: .3rem 0 .3rem 1.2rem; }
ul.scenarios li.group, li.group ul.scenarios li, .na ul.scenarios li { display: block; }
.detail { color: #57606a; font: .78rem ui-monospace, monospace; }
"""


def _label(verdict: str | None) -> str:
    return LABELS.get(verdict, str(verdict))


def _class(verdict: str | None) -> str:
    return f"v-{verdict or 'unchecked'}"


def _code(text: str) -> str:
    """Escaped text, with the catalogue's `backticks` as code."""
    parts = escape(text).split("`")
    return "".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts))


def _tally(title: str, counts: Mapping[str, int], unchecked: int | None = None) -> str:
    chips = [
        f'<span class="chip {_class(verdict)}{"" if counts.get(verdict) else " zero"}">'
        f"{counts.get(verdict, 0)} {_label(verdict)}</span>"
        for verdict in VERDICTS
    ]
    if unchecked is not None:
        dim = "" if unchecked else " zero"
        chips.append(f'<span class="chip v-unchecked{dim}">{unchecked} unchecked</span>')
    return f'<div class="tally"><b>{escape(title)}</b>{"".join(chips)}</div>'


def _where(scenario: Mapping[str, Any]) -> str:
    example = scenario.get("example") or {}
    row = ", ".join(f"{key}={value}" for key, value in example.items())
    return (
        f"<b>{escape(scenario['scenario'])}</b>"
        + (f' <span class="example">[{escape(row)}]</span>' if row else "")
        + f'<div class="where">{escape(scenario["feature"])} · {escape(scenario["id"])}</div>'
    )


def _exchanges(exchanges: Iterable[Mapping[str, Any]]) -> str:
    """A failed scenario's HTTP exchanges, one row each; fields named like secrets redacted again."""
    rows = []
    for number, exchange in enumerate(exchanges, 1):
        sent = redacted(exchange.get("sent") or {})
        fields = "<br>".join(f"{escape(name)}={escape(value)}" for name, value in sent.items())
        status = exchange.get("status")
        answered = "—" if status is None else escape(str(status))  # no answer: the response says why
        rows.append(
            f"<tr><td>{number}</td><td>{escape(str(exchange.get('method', '')))} "
            f"{escape(str(exchange.get('url', '')))}</td><td>{answered}</td>"
            f'<td>{fields}</td><td class="response">{escape(str(exchange.get("response", "")))}</td></tr>'
        )
    if not rows:
        return ""
    head = "<tr><th>#</th><th>request</th><th>status</th><th>sent</th><th>response</th></tr>"
    return f'<table class="exchanges">{head}{"".join(rows)}</table>'


def _scenario(scenario: Mapping[str, Any]) -> str:
    """One scenario; a failed one with the step that failed, why, and the exchanges that led there."""
    reason = scenario.get("reason")
    step = scenario.get("failed_step")
    return (
        f'<li class="{_class(scenario["verdict"])}"><span class="badge">{_label(scenario["verdict"])}</span>'
        f"<div>{_where(scenario)}"
        + (f'<div class="step">failed at <b>{escape(step)}</b></div>' if step else "")
        + (f'<div class="reason">{escape(reason)}</div>' if reason else "")
        + _exchanges(scenario.get("exchanges") or [])
        + "</div></li>"
    )


def _group_list(group: NotApplicableGroup) -> str:
    items = []
    for scenario in group.scenarios:
        detail = group.detail(scenario)
        items.append(
            f"<li><div>{_where(scenario)}"
            + (f'<div class="detail">{escape(detail)}</div>' if detail else "")
            + "</div></li>"
        )
    return f'<ul class="scenarios">{"".join(items)}</ul>'


def _group_summary(group: NotApplicableGroup) -> str:
    scenarios = "scenario" if group.count == 1 else "scenarios"
    return (
        f'<span class="badge" title="{group.count} {scenarios}">{group.count}</span>'
        f'<span class="reason">not applicable: {escape(group.reason)}</span>'
    )


def _scenarios(scenarios: Iterable[Mapping[str, Any]]) -> str:
    """The scenarios one by one, but for the not-applicable ones: one line per reason, opening onto them."""
    listed = list(scenarios)
    items = [_scenario(scenario) for scenario in listed if scenario["verdict"] != NOT_APPLICABLE]
    items += [
        f'<li class="group {_class(NOT_APPLICABLE)}"><details><summary>{_group_summary(group)}</summary>'
        f"{_group_list(group)}</details></li>"
        for group in groups(listed)
    ]
    return f'<ul class="scenarios">{"".join(items)}</ul>'


def _not_applicable(scenarios: Iterable[Mapping[str, Any]]) -> str:
    found = groups(scenarios)
    if not found:
        return ""
    total = sum(group.count for group in found)
    reasons = "reason" if len(found) == 1 else "reasons"
    rows = "".join(
        f'<details class="{_class(NOT_APPLICABLE)}"><summary>{_group_summary(group)}</summary>'
        f"{_group_list(group)}</details>"
        for group in found
    )
    return (
        f'<section class="na"><h2>Not applicable<small>{total} scenarios, {len(found)} {reasons}</small></h2>'
        f"{rows}</section>"
    )


def _requirement(rid: str, row: Mapping[str, Any], scenarios: Mapping[str, Mapping[str, Any]]) -> str:
    verdict = row["verdict"]
    cells = "".join(
        f'<span class="cell{" on " + _class(v) if row["counts"][v] else ""}">{row["counts"][v] or "·"}</span>'
        for v in VERDICTS
    )
    summary = (
        f'<span class="id">{escape(rid)}</span><span class="stmt">{_code(row["statement"] or "")}</span>'
        f'<span class="badge">{_label(verdict)}</span>{cells}'
    )
    if verdict is None:
        return f'<div class="req row {_class(verdict)}" id="{escape(rid)}">{summary}</div>'
    items = _scenarios(scenarios[nodeid] for nodeid in row["scenarios"] if nodeid in scenarios)
    opened = " open" if verdict == FAIL else ""
    return (
        f'<details class="req {_class(verdict)}" id="{escape(rid)}"{opened}>'
        f'<summary class="row">{summary}</summary>{items}</details>'
    )


def _sections(requirements: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for rid, row in requirements.items():
        grouped.setdefault(row.get("section") or "Other requirements", []).append(rid)
    return grouped


def render(record: Mapping[str, Any]) -> str:
    """The page: run metadata, verdict tallies, an overview strip per section, the not-applicable scenarios
    by reason, then per section the requirement x verdict matrix, each requirement opening onto its
    scenarios and their reasons (a failed one with its failed step and HTTP exchanges)."""
    run, requirements = record["run"], record["requirements"]
    scenarios = {scenario["id"]: scenario for scenario in record["scenarios"]}
    grouped = _sections(requirements)
    target = escape(str(run.get("target")))
    meta = [f"target <b>{target}</b>"]
    if run.get("cas_url"):
        meta.append(f"CAS <b>{escape(str(run['cas_url']))}</b>")
    if run.get("target_file"):
        path, digest = escape(str(run["target_file"])), escape(str(run.get("target_file_sha256")))
        meta.append(f"target file <code>{path}</code> sha256 <code>{digest}</code>")
    meta += [f"faker seed {escape(str(run.get('faker_seed')))}", f"run {escape(str(run.get('started')))}"]
    counts = run["counts"]
    overview = "".join(
        f'<div class="title">{escape(title)}</div><div class="squares">'
        + "".join(
            f'<a class="sq {_class(requirements[rid]["verdict"])}" href="#{escape(rid)}" '
            f'title="{escape(rid)}: {_label(requirements[rid]["verdict"])}">{escape(rid)}</a>'
            for rid in ids
        )
        + "</div>"
        for title, ids in grouped.items()
    )
    head = (
        '<div class="row head"><span>id</span><span>requirement</span><span>verdict</span>'
        + "".join(f"<span>{_label(v)}</span>" for v in VERDICTS)
        + "</div>"
    )
    body = []
    for title, ids in grouped.items():
        rolled = [requirements[rid]["verdict"] for rid in ids]
        figures = ", ".join(f"{rolled.count(v)} {_label(v)}" for v in (*VERDICTS, None) if rolled.count(v))
        body.append(f"<h2>{escape(title)}<small>{escape(figures)}</small></h2>{head}")
        body.extend(_requirement(rid, requirements[rid], scenarios) for rid in ids)
    untagged = [scenario for scenario in record["scenarios"] if not scenario["requirements"]]
    if untagged:
        body.append(f"<h2>Scenarios that check no requirement<small>{len(untagged)}</small></h2>")
        body.append(_scenarios(untagged))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>CAS MFA conformance: {target}</title><style>{STYLE}</style></head><body>"
        f'<h1>CAS MFA conformance</h1><p class="meta">{" · ".join(meta)}</p>'
        + _tally("Scenarios", counts["scenarios"])
        + _tally("Requirements", counts["requirements"], counts["requirements"].get("unchecked", 0))
        + f'<nav class="overview">{overview}</nav>{_not_applicable(record["scenarios"])}'
        f"<main>{''.join(body)}</main></body></html>\n"
    )
