"""The report asset: rebuilds the study's figures from the published marts as one HTML page."""

import dagster as dg

from dagster_project.config import marts_db, warehouse_dir

from .render import build_report


@dg.asset(
    key=dg.AssetKey(["report", "html"]),
    deps=[dg.AssetKey(["published", "marts"])],
    group_name="published",
    kinds={"html"},
)
def report_html(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The study's figures rebuilt from the published marts: `$WAREHOUSE_DIR/report/index.html`.

    One self-contained page (inline SVG charts, no network): a summary table of the paper's
    headline numbers beside the warehouse's values with tolerances, then one section per figure
    group with its chart, data notes (window, sample size, intervals, suppressed cells) and the
    SQL that produced it. Reads `$WAREHOUSE_DIR/marts.duckdb` read-only, so it never takes the
    warehouse's write lock. Sections whose mart is empty or absent say so; a failing query or
    chart fails the materialization after the page (showing the error) is written.
    """
    result = build_report(marts_db(), warehouse_dir() / "report")
    within = sum(1 for h in result.headlines if h.status == "within")
    outside = [h.id for h in result.headlines if h.status == "outside"]
    no_data = [h.id for h in result.headlines if h.status == "no data"]
    context.log.info(
        f"report written to {result.path} in {result.seconds:.1f}s: {result.chart_count} charts, "
        f"{within}/{len(result.headlines)} headlines within tolerance"
    )
    if result.errored_sections or result.headline_errors:
        raise dg.Failure(
            description="report rendered with errors (see the page): "
            f"sections {result.errored_sections}, headlines {result.headline_errors}",
            metadata={"path": dg.MetadataValue.path(str(result.path))},
        )
    start, end = result.window
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "sections": len(result.sections),
            "section_keys": [s.key for s in result.sections],
            "empty_sections": result.empty_sections,
            "charts": result.chart_count,
            "headlines_within_tolerance": within,
            "headlines_outside_tolerance": outside,
            "headlines_without_data": no_data,
            "data_window": f"{start} to {end}" if start else "unknown",
            "render_seconds": round(result.seconds, 2),
        }
    )
