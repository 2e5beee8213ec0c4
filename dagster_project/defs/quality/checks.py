"""Dagster asset checks generated from the GX suites in expectations/ (one check per suite).

No `from __future__ import annotations` here: Dagster inspects the `context` annotation at runtime.
"""

import datetime as dt

import dagster as dg

from .gx_runner import SuiteOutcome, Window, run_suite, warehouse_dir_from_env
from .suites import REPO_ROOT, SuiteSpec, load_suites

WAREHOUSE_POOL = "duckdb_writer"


def partition_window(context: dg.AssetCheckExecutionContext) -> Window:
    """The run's partition window as [start, end) dates; the whole table for unpartitioned runs.

    A check without its own partitions_def still runs inside the asset's partitioned run, and
    Dagster resolves the window from the run tags (`dagster/partition`, or
    `dagster/asset_partition_range_start|end` for a single-run backfill). The tags are read directly
    only if the context cannot give a time window (e.g. a run launched with tags by hand).
    """
    try:
        if context.has_partition_key or context.has_partition_key_range:
            window = context.partition_time_window
            return Window(window.start.date(), window.end.date(), partitioned=True)
    except Exception:  # not a time-window partition, or no partition definition in the job
        pass
    try:
        tags = context.run.tags
    except Exception:  # direct invocation (build_asset_check_context) has no run
        return Window.whole_history()
    start = tags.get("dagster/asset_partition_range_start") or tags.get("dagster/partition")
    end = tags.get("dagster/asset_partition_range_end") or tags.get("dagster/partition")
    try:
        if start and end:
            return Window(
                dt.date.fromisoformat(start),
                dt.date.fromisoformat(end) + dt.timedelta(days=1),
                partitioned=True,
            )
    except ValueError:
        pass
    return Window.whole_history()


def _fmt_share(share: float | None) -> str:
    return "—" if share is None else f"{share:.4%}"


def _failures_markdown(outcome: SuiteOutcome) -> str:
    lines = [
        "| rule | severity | unexpected | share | examples | what to do |",
        "|---|---|---|---|---|---|",
    ]
    for rule in outcome.failed:
        examples = rule.error or ", ".join(str(e) for e in rule.examples[:3])
        examples = examples.replace("|", "\\|").replace("\n", " ")[:300]
        lines.append(
            f"| {rule.rule} | {rule.severity} | {rule.unexpected_count} {rule.unit} | "
            f"{_fmt_share(rule.unexpected_share)} | {examples} | {rule.what_to_do.replace('|', '/')} |"
        )
    return "\n".join(lines)


def to_check_result(spec: SuiteSpec, outcome: SuiteOutcome) -> dg.AssetCheckResult:
    failed = outcome.failed
    shares = [r.unexpected_share for r in failed if r.unexpected_share is not None]
    metadata: dict[str, object] = {
        "suite": spec.name,
        "suite_file": dg.MetadataValue.path(str(spec.file.relative_to(REPO_ROOT))),
        "window": outcome.window.label(),
        "rules_evaluated": len(outcome.rules),
        "rules_failed": len(failed),
        "failed_rules": ", ".join(r.rule for r in failed) or "none",
        "unexpected_count": sum(r.unexpected_count for r in failed),
        "unexpected_share": max(shares) if shares else 0.0,
        "examples": dg.MetadataValue.json({r.rule: r.examples for r in failed}),
        "rules": dg.MetadataValue.json(
            {
                r.rule: {
                    "passed": r.success,
                    "severity": r.severity,
                    "unexpected_count": r.unexpected_count,
                    "unexpected_share": r.unexpected_share,
                    "unit": r.unit,
                    "error": r.error,
                }
                for r in outcome.rules
            }
        ),
        "gx_seconds": round(outcome.seconds, 2),
    }
    if failed:
        metadata["failures"] = dg.MetadataValue.md(_failures_markdown(outcome))
    if outcome.docs_page:
        metadata["data_docs"] = dg.MetadataValue.path(str(outcome.docs_page))
    if outcome.docs_index:
        metadata["data_docs_index"] = dg.MetadataValue.path(str(outcome.docs_index))
    if outcome.validation_result:
        metadata["validation_result"] = dg.MetadataValue.path(str(outcome.validation_result))

    if outcome.failed_critical:
        severity = dg.AssetCheckSeverity.ERROR
    else:
        severity = dg.AssetCheckSeverity.WARN
    description = (
        f"{len(failed)} of {len(outcome.rules)} rules failed ({metadata['failed_rules']}) on "
        f"{outcome.window.label()}; see `failures` for what to do and `data_docs` for the rows."
        if failed
        else f"All {len(outcome.rules)} rules passed on {outcome.window.label()}."
    )
    return dg.AssetCheckResult(
        passed=not failed, severity=severity, metadata=metadata, description=description
    )


def _error_result(spec: SuiteSpec, window: Window, error: Exception) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR if spec.blocking else dg.AssetCheckSeverity.WARN,
        description=(
            f"Suite {spec.name} could not run on {window.label()}: {type(error).__name__}: {error}. "
            "Usually the table, a column or the landed files are missing: materialise the asset "
            "and check its columns against docs/architecture.md."
        ),
        metadata={
            "suite": spec.name,
            "window": window.label(),
            "error": f"{type(error).__name__}: {error}"[:2000],
            "unexpected_count": -1,
            "unexpected_share": -1.0,
        },
    )


def _description(spec: SuiteSpec) -> str:
    kind = "blocking" if spec.blocking else "warning only"
    scope = "the run's partition window" if spec.scope == "partition" else "the whole table"
    return (
        f"GX suite `{spec.name}` ({kind}, on {scope}): {spec.meta['description']} "
        f"Rules: {', '.join(spec.rules)}. Suite file: {spec.file.relative_to(REPO_ROOT)}."
    )


def _run_name(context: dg.AssetCheckExecutionContext) -> str:
    """Dagster's run id names the GX validation run, so results and Data Docs link to the run."""
    try:
        return context.run.run_id
    except Exception:  # direct invocation has no run
        return "manual-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")


def build_check(
    spec: SuiteSpec, partitions_def: dg.PartitionsDefinition | None = None
) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(spec.asset_key),
        name=spec.check_name,
        description=_description(spec),
        blocking=spec.blocking,
        # Only checks that open warehouse.duckdb queue for the single DuckDB writer slot.
        pool=WAREHOUSE_POOL if spec.source == "warehouse" else None,
        partitions_def=partitions_def if spec.scope == "partition" else None,
        metadata={"suite": spec.name, "severity": "blocking" if spec.blocking else "warning"},
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        window = partition_window(context) if spec.scope == "partition" else Window.whole_history()
        try:
            outcome = run_suite(
                spec, warehouse_dir=warehouse_dir_from_env(), window=window, run_name=_run_name(context)
            )
        except Exception as error:  # a suite that cannot run must fail visibly, not crash the step
            context.log.exception(f"GX suite {spec.name} could not run")
            return _error_result(spec, window, error)
        context.log.info(
            f"GX suite {spec.name} on {window.label()}: {len(outcome.failed)} of {len(outcome.rules)} "
            f"rules failed in {outcome.seconds:.2f}s"
        )
        return to_check_result(spec, outcome)

    return _check


def build_quality_checks(
    partitions_def: dg.PartitionsDefinition | None = None,
) -> list[dg.AssetChecksDefinition]:
    """One asset check per suite in expectations/.

    With `partitions_def` (the daily partitions of the raw assets and dbt facts), partition-scoped
    checks become partitioned checks (a Dagster preview feature): results are recorded per
    partition. Without it they are unpartitioned checks that still validate the run's window.
    """
    return [build_check(spec, partitions_def) for spec in load_suites()]
