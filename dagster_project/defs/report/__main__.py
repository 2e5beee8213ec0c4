"""Render the report standalone: python -m dagster_project.defs.report [MARTS_DB] [OUT_DIR].

Defaults: $WAREHOUSE_DIR/marts.duckdb -> $WAREHOUSE_DIR/report/ (dagster_project.config.warehouse_dir()).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_project.config import marts_db, warehouse_dir

from .render import build_report


def main(argv: list[str]) -> int:
    result = build_report(
        Path(argv[0]) if argv else marts_db(), Path(argv[1]) if len(argv) > 1 else warehouse_dir() / "report"
    )
    counts = {
        s: sum(1 for h in result.headlines if h.status == s)
        for s in ("within", "outside", "no data", "error")
    }
    print(
        f"{result.path}  ({result.chart_count} charts, {result.seconds:.1f}s; headlines {counts}; "
        f"empty sections: {result.empty_sections or 'none'}; errors: {result.errored_sections or 'none'})"
    )
    return 1 if result.errored_sections or result.headline_errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
