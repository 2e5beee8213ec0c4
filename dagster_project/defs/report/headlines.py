"""The paper's headline figures (paper_headlines.yaml) evaluated against the marts.

Each entry's SQL returns one row with one column `value`, in the entry's unit. Comparison rules:
- approx:   |ours - paper| <= tolerance
- at_least: ours >= paper - tolerance          (the paper says "over X")
- at_most:  ours <= paper + tolerance          (the paper says "under X")
- range:    low - tolerance <= ours <= high + tolerance
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HEADLINES_PATH = Path(__file__).with_name("paper_headlines.yaml")

# Decimals shown per unit when an entry does not set `decimals`.
_DEFAULT_DECIMALS = {
    "%": 1,
    "pp": 1,
    "T tokens": 2,
    "T tokens/week": 2,
    "T tokens/day": 2,
    "tokens": 0,
    "USD/Mtok": 3,
    "elasticity": 3,
    "ratio": 2,
    "% of weeks": 0,
}


@dataclass
class HeadlineResult:
    id: str
    section: str
    figure: str
    label: str
    paper_text: str
    unit: str
    source: str
    confidence: str
    compare: str
    tolerance: float
    mart: str
    sql: str
    note: str
    value: float | None = None
    diff: float | None = None
    status: str = "no data"  # within | outside | no data | error
    reason: str = ""  # why there is no value
    decimals: int = 1

    def fmt(self, x: float | None, signed: bool = False) -> str:
        if x is None:
            return "–"
        sign = "+" if signed and x > 0 else ""
        if x != 0 and abs(x) < 10**-self.decimals:
            # e.g. a scaled-down simulation's 0.004T: show significant digits, not "0.00"
            return f"{sign}{x:.2g}"
        return f"{sign}{x:,.{self.decimals}f}"


def load_headlines(path: Path = HEADLINES_PATH) -> list[dict[str, Any]]:
    # the C loader when present: the pure-Python one takes most of a second on this file
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)["headlines"]


def compare(entry: dict[str, Any], value: float) -> tuple[float, bool]:
    """Return (difference to the paper, within tolerance) for one headline."""
    paper, tol, kind = entry["paper"], float(entry["tolerance"]), entry["compare"]
    if kind == "range":
        low, high = float(paper["low"]), float(paper["high"])
        diff = 0.0 if low <= value <= high else (value - low if value < low else value - high)
        return diff, low - tol <= value <= high + tol
    target = float(paper["value"])
    diff = value - target
    if kind == "approx":
        return diff, abs(diff) <= tol
    if kind == "at_least":
        return diff, value >= target - tol
    if kind == "at_most":
        return diff, value <= target + tol
    raise ValueError(f"unknown compare {kind!r} in headline {entry['id']}")


def evaluate(entry: dict[str, Any], run_query, mart_state: dict[str, str]) -> HeadlineResult:
    """Evaluate one headline.

    `run_query(sql)` returns a DataFrame; `mart_state` maps each mart to ok, empty or absent.
    """
    paper = entry["paper"]
    result = HeadlineResult(
        id=entry["id"],
        section=entry["section"],
        figure=str(entry.get("figure", "")),
        label=entry["label"],
        paper_text=str(paper["text"]),
        unit=paper["unit"],
        source=paper["source"],
        confidence=paper["confidence"],
        compare=entry["compare"],
        tolerance=float(entry["tolerance"]),
        mart=entry["mart"],
        sql=entry["sql"].strip(),
        note=entry.get("note", "").strip(),
        decimals=int(entry.get("decimals", _DEFAULT_DECIMALS.get(paper["unit"], 2))),
    )
    # every mart the query reads (some join a second one), not only the main one
    read = [result.mart] + [m for m in mart_state if m != result.mart and re.search(rf"\b{m}\b", result.sql)]
    for mart in read:
        state = mart_state.get(mart, "absent")
        if state != "ok":
            result.reason = f"mart {mart} is {'empty' if state == 'empty' else 'not in the marts file'}"
            return result
    try:
        df = run_query(result.sql)
    except Exception as exc:  # a broken headline query is a bug: report it, do not hide it
        result.status = "error"
        result.reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        return result
    if df.empty or df.iloc[0, 0] is None or (isinstance(df.iloc[0, 0], float) and math.isnan(df.iloc[0, 0])):
        result.reason = (
            "no rows match: outside the marts' window, a name that differs, or cells suppressed into 'other'"
        )
        return result
    result.value = float(df.iloc[0, 0])
    result.diff, within = compare(entry, result.value)
    result.status = "within" if within else "outside"
    return result
