"""Dagster definitions by concern; assembled in dagster_project/definitions.py."""

import warnings

# Single-run backfill policies and partitioned checks are beta/preview APIs; Dagster is pinned.
warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview)")
