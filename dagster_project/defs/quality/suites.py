"""Load the GX suites (expectations/*.json) and their thresholds (expectations/thresholds.yml).

Parsed once per process (module-level cache); rendering a suite for a run only substitutes the
`${name}` placeholders, which is cheap. The rules themselves live in the JSON files, never here.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
THRESHOLDS_FILE = EXPECTATIONS_DIR / "thresholds.yml"
DBT_PROJECT_FILE = REPO_ROOT / "dbt" / "dbt_project.yml"

# `${name}`: not `{name}`, which GX's UnexpectedRowsExpectation reserves for `{batch}`.
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
RUN_PARAMETERS = ("window_start", "window_end", "raw_files")


@dataclass(frozen=True)
class SuiteSpec:
    """One suite file: its raw JSON plus the suite-level meta the runner and checks need."""

    file: Path
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return self.raw["name"]

    @property
    def meta(self) -> dict[str, Any]:
        return self.raw["meta"]

    @property
    def asset_key(self) -> list[str]:
        return list(self.meta["asset_key"])

    @property
    def check_name(self) -> str:
        return self.meta["check_name"]

    @property
    def scope(self) -> str:  # "partition" (window of the run) or "table" (whole table)
        return self.meta["scope"]

    @property
    def source(self) -> str:  # "warehouse" (warehouse.duckdb) or "raw" (landed Parquet)
        return self.meta["source"]

    @property
    def blocking(self) -> bool:
        """Blocking when at least one expectation is critical; all-warning suites only warn."""
        return any(e.get("severity", "critical") == "critical" for e in self.raw["expectations"])

    @property
    def rules(self) -> list[str]:
        return [e["meta"]["rule"] for e in self.raw["expectations"]]


def _dbt_var(name: str) -> Any | None:
    if not DBT_PROJECT_FILE.exists():
        return None
    project = yaml.safe_load(DBT_PROJECT_FILE.read_text()) or {}
    value = (project.get("vars") or {}).get(name)
    return value if isinstance(value, (int, float)) else None


@functools.cache
def thresholds() -> dict[str, Any]:
    """Threshold values by name; `from_dbt_var` entries follow dbt/dbt_project.yml when it sets them."""
    parsed = yaml.safe_load(THRESHOLDS_FILE.read_text())
    values: dict[str, Any] = {}
    for name, entry in parsed.items():
        value = entry["value"]
        if entry.get("from_dbt_var"):
            dbt_value = _dbt_var(entry["from_dbt_var"])
            value = dbt_value if dbt_value is not None else value
        values[name] = value
    return values


@functools.cache
def load_suites() -> tuple[SuiteSpec, ...]:
    specs = []
    for path in sorted(EXPECTATIONS_DIR.glob("*.json")):
        specs.append(SuiteSpec(file=path, raw=json.loads(path.read_text())))
    names = [s.name for s in specs]
    if len(names) != len(set(names)):
        raise ValueError(f"duplicate suite names in {EXPECTATIONS_DIR}: {names}")
    return tuple(specs)


def suite_by_name(name: str) -> SuiteSpec:
    for spec in load_suites():
        if spec.name == name:
            return spec
    raise KeyError(name)


def _render(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _render(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, params) for v in value]
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole:  # keep the threshold's type (a number stays a number)
            return params[whole.group(1)]
        return _PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), value)
    return value


def render(spec: SuiteSpec, **run_parameters: Any) -> dict[str, Any]:
    """The suite as GX JSON with every `${name}` replaced; raises KeyError on an unknown name."""
    missing = set(RUN_PARAMETERS) - set(run_parameters)
    if missing:
        raise ValueError(f"missing run parameters {sorted(missing)}")
    params = {**thresholds(), **run_parameters}
    return _render(copy.deepcopy(spec.raw), params)
