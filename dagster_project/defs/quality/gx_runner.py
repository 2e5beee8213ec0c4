"""Run one GX suite inside DuckDB and summarise the result for a Dagster asset check.

One ephemeral GX context per call; the SQL datasource reads `warehouse.duckdb` read-only through
duckdb_engine (or an in-memory DuckDB for the landed Parquet). Validation results are kept as JSON
and Data Docs are rebuilt under `$WAREHOUSE_DIR/gx/`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster_project import config as warehouse_config

from .suites import SuiteSpec, render

log = logging.getLogger(__name__)

# The whole table: wide enough for any real row, and for rows that wrongly lie outside the study.
WHOLE_HISTORY = (dt.date(1970, 1, 1), dt.date(9999, 12, 31))
EXAMPLES = 5
DOCS_SITE = "warehouse"


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC dates; `partitioned` says whether it came from the run's partitions."""

    start: dt.date
    end: dt.date
    partitioned: bool

    @classmethod
    def whole_history(cls) -> Window:
        return cls(*WHOLE_HISTORY, partitioned=False)

    def label(self) -> str:
        if not self.partitioned:
            return "whole table"
        return f"{self.start.isoformat()} <= date < {self.end.isoformat()}"


@dataclass
class RuleOutcome:
    rule: str
    expectation_type: str
    column: str | None
    severity: str  # "critical" | "warning" | "info"
    success: bool
    unexpected_count: int
    unexpected_share: float | None
    unit: str
    examples: list[Any]
    what_to_do: str
    error: str | None = None


@dataclass
class SuiteOutcome:
    suite: str
    window: Window
    rules: list[RuleOutcome] = field(default_factory=list)
    docs_index: Path | None = None
    docs_page: Path | None = None
    validation_result: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[RuleOutcome]:
        return [r for r in self.rules if not r.success]

    @property
    def failed_critical(self) -> list[RuleOutcome]:
        return [r for r in self.failed if r.severity == "critical"]


# --------------------------------------------------------------------------- GX on DuckDB

_PATCHED = False


def _let_pyspark_import() -> None:
    """GX imports pyspark when it is installed (here for dbt-spark), and pyspark's connect module
    calls sys.exit(0) on import when `__main__` has neither a spec nor a file, taking it for a
    doctest run. Dagster's run workers (runs launched from the UI, the schedule or the sensor) start
    as `python -c`, which is exactly that: give `__main__` a file name so the import goes on."""
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None and not hasattr(main, "__file__"):
        main.__file__ = "<dagster run worker>"


def _patch_gx_for_duckdb() -> None:
    """Make GX keep one connection for DuckDB (GX issues #10738, #11579).

    Without it GX reads results after closing its connection, DuckDB has discarded them and every
    expectation fails with `list index out of range`. Private GX setting: GX is pinned and
    tests/quality exercises it. The price: the connection (and DuckDB's file lock) stays open until
    `_close` below.
    """
    global _PATCHED
    if _PATCHED:
        return
    _let_pyspark_import()
    import great_expectations.execution_engine.sqlalchemy_execution_engine as see

    class _DuckDBDialect(str):
        value = "duckdb"

    if not any(getattr(d, "value", d) == "duckdb" for d in see._PERSISTED_CONNECTION_DIALECTS):
        see._PERSISTED_CONNECTION_DIALECTS = (*see._PERSISTED_CONNECTION_DIALECTS, _DuckDBDialect("duckdb"))
    _PATCHED = True


def _results_dir(gx_dir: Path) -> Path:
    """This month's validation results store.

    GX lists (and date-parses) every stored result to build any Data Docs page, so one store
    for all history made each check slower every day (a year of daily runs, ~4,700 results: about
    +1 s per check, 13 checks a run). A store per calendar month bounds that; pages of earlier
    months stay in data_docs/ and each check's metadata links its own page.
    """
    return gx_dir / "validations" / dt.datetime.now(dt.UTC).strftime("%Y-%m")


def _context(gx_dir: Path, results_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, InMemoryStoreBackendDefaults

    defaults = InMemoryStoreBackendDefaults(init_temp_docs_sites=False)
    defaults.stores[defaults.validation_results_store_name]["store_backend"] = {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": str(results_dir),
    }
    config = DataContextConfig(
        store_backend_defaults=defaults,
        data_docs_sites={
            DOCS_SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(gx_dir / "data_docs"),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


@contextmanager
def _docs_lock(gx_dir: Path):
    """Checks without a pool (raw landing) may run beside others: serialise writes under gx/."""
    gx_dir.mkdir(parents=True, exist_ok=True)
    with open(gx_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _close(context, datasource) -> None:
    """Release DuckDB's file lock: close GX's persisted connection and dispose every engine.

    A SQL datasource holds two engines: its own (`_engine`, used to test the connection when it is
    added) and the execution engine's (which holds the persisted connection). Both keep the file open.
    """
    datasources = [datasource]
    try:
        datasources.extend(d for d in context.data_sources.all().values() if d is not datasource)
    except Exception:  # the context may be half-built when an error brought us here
        pass
    for source in datasources:
        execution_engine = getattr(source, "_execution_engine", None)
        if execution_engine is not None:
            connection = getattr(execution_engine, "_connection", None)
            if connection is not None:
                connection.close()
                execution_engine._connection = None
            execution_engine.engine.dispose()
        engine = getattr(source, "_engine", None)
        if engine is not None:
            engine.dispose()


def _substitute_batch(query: str, batch_query: str) -> str:
    # The same substitution GX does: `{batch}` is the batch as a sub-query; `{{`/`}}` are literals.
    return query.format(batch=f"({batch_query}) as batch")


def _raw_files(warehouse_dir: Path, spec: SuiteSpec, window: Window) -> str:
    """The landed files of the window as a DuckDB list literal.

    Listing the files (rather than globbing every day and filtering on `date`) keeps other days'
    schemas out of the batch: DuckDB unions the columns of every file it opens.
    """
    source_dir = warehouse_dir / "raw" / spec.asset_key[-1]
    files = []
    for folder in sorted(source_dir.glob("date=*")):
        try:
            day = dt.date.fromisoformat(folder.name.removeprefix("date="))
        except ValueError:
            continue
        if window.start <= day < window.end:
            files.extend(sorted(folder.glob("*.parquet")))
    if not files:
        raise FileNotFoundError(f"no landed Parquet under {source_dir} for {window.label()}")
    return "[" + ", ".join("'" + f.as_posix().replace("'", "''") + "'" for f in files) + "]"


def _exception_message(exception_info: dict | None) -> str | None:
    """GX reports an expectation's error either flat or keyed by the metric that raised."""
    if not exception_info:
        return None
    if "raised_exception" in exception_info:
        infos = [exception_info]
    else:
        infos = [v for v in exception_info.values() if isinstance(v, dict)]
    messages = [i.get("exception_message") or "error" for i in infos if i.get("raised_exception")]
    return "; ".join(messages) if messages else None


def _fetch(datasource, sql: str) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    engine = datasource.get_execution_engine()
    with engine.get_connection() as connection:
        result = connection.execute(sa.text(sql))
        return [dict(row._mapping) for row in result.fetchall()]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# --------------------------------------------------------------------------- the run


def run_suite(spec: SuiteSpec, *, warehouse_dir: Path, window: Window, run_name: str) -> SuiteOutcome:
    """Validate `spec` on its batch for `window`; always releases the DuckDB file before returning."""
    started = time.perf_counter()
    _patch_gx_for_duckdb()
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    warehouse_dir = Path(warehouse_dir).resolve()
    gx_dir = warehouse_dir / "gx"
    rendered = render(
        spec,
        window_start=window.start.isoformat(),
        window_end=window.end.isoformat(),
        raw_files=_raw_files(warehouse_dir, spec, window) if spec.source == "raw" else "[]",
    )
    batch_query = rendered["meta"]["batch_query"]
    key_columns = rendered["meta"].get("example_key_columns") or []

    if spec.source == "warehouse":
        database = warehouse_dir / "warehouse.duckdb"
        if not database.exists():
            raise FileNotFoundError(f"{database} does not exist: materialise the dbt models first")
        connection_string = f"duckdb:///{database.as_posix()}"
        connect_args: dict[str, Any] = {"read_only": True}
    else:  # the landed Parquet is read by an in-memory DuckDB: no lock on the warehouse file
        connection_string = "duckdb:///:memory:"
        connect_args = {}

    outcome = SuiteOutcome(suite=spec.name, window=window)
    results_dir = _results_dir(gx_dir)
    context = _context(gx_dir, results_dir)
    # Bounded like every DuckDB here (a unique count over 1e8 ids otherwise takes 80% of RAM), and
    # a spill folder of its own: checks may run beside dbt, which spills to .duckdb_tmp.
    (warehouse_dir / ".duckdb_tmp").mkdir(parents=True, exist_ok=True)
    spill = tempfile.mkdtemp(prefix="gx-", dir=warehouse_dir / ".duckdb_tmp")
    connect_args["config"] = {"memory_limit": warehouse_config.duckdb_memory_limit(), "temp_directory": spill}
    datasource = None
    try:
        datasource = context.data_sources.add_sql(
            name="warehouse", connection_string=connection_string, kwargs={"connect_args": connect_args}
        )
        asset = datasource.add_query_asset(name=spec.name.replace(".", "__"), query=batch_query)
        batch_definition = asset.add_batch_definition_whole_table("window")
        suite = context.suites.add(
            gx.ExpectationSuite(
                name=rendered["name"], expectations=rendered["expectations"], meta=rendered["meta"]
            )
        )
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
        )
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES}
        if key_columns:
            result_format["unexpected_index_column_names"] = key_columns
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=spec.name,
                validation_definitions=[validation],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
                result_format=result_format,
            )
        )
        with _docs_lock(gx_dir):
            checkpoint_result = checkpoint.run(run_id=RunIdentifier(run_name=run_name))
        ((result_id, validation_result),) = checkpoint_result.run_results.items()

        batch_rows: int | None = None
        for result in validation_result.results:
            config = result.expectation_config
            meta = config.meta or {}
            unit = meta.get("unit", "rows")
            payload = result.result or {}
            error = _exception_message(result.exception_info)
            if config.type == "unexpected_rows_expectation":
                count = int(payload.get("observed_value") or 0)
                examples: list[Any] = []
                share = None
                if count and not error:
                    query = _substitute_batch(config.kwargs["unexpected_rows_query"], batch_query)
                    examples = _fetch(datasource, f"select * from ({query}) as unexpected limit {EXAMPLES}")
                    if unit == "rows":
                        if batch_rows is None:
                            batch_rows = _fetch(
                                datasource, f"select count(*) as n from ({batch_query}) as b"
                            )[0]["n"]
                        share = count / batch_rows if batch_rows else None
                elif not error:
                    share = 0.0 if unit == "rows" else None
            else:
                count = int(payload.get("unexpected_count") or 0)
                elements = payload.get("element_count")
                share = (count / elements) if elements else (0.0 if not error else None)
                examples = (
                    payload.get("partial_unexpected_index_list")
                    or payload.get("partial_unexpected_list")
                    or []
                )
            outcome.rules.append(
                RuleOutcome(
                    rule=meta.get("rule", config.type),
                    expectation_type=config.type,
                    column=config.kwargs.get("column"),
                    severity=str(getattr(config.severity, "value", config.severity) or "critical").lower(),
                    success=bool(result.success) and not error,
                    unexpected_count=count,
                    unexpected_share=share,
                    unit=unit,
                    examples=_jsonable(examples[:EXAMPLES]),
                    what_to_do=meta.get("what_to_do", ""),
                    error=error,
                )
            )

        outcome.docs_index = gx_dir / "data_docs" / "index.html"
        pages = context.get_docs_sites_urls(resource_identifier=result_id, site_name=DOCS_SITE)
        if pages and pages[0].get("site_url"):
            outcome.docs_page = Path(pages[0]["site_url"].removeprefix("file://"))
        stored = sorted(results_dir.joinpath(*spec.name.split("."), run_name).glob("*/*.json"))
        outcome.validation_result = stored[-1] if stored else None
    finally:
        _close(context, datasource)
        shutil.rmtree(spill, ignore_errors=True)
        outcome.seconds = time.perf_counter() - started
    return outcome


def warehouse_dir_from_env() -> Path:
    value = os.environ.get("WAREHOUSE_DIR")
    if not value:
        raise RuntimeError("WAREHOUSE_DIR is not set: it must be the absolute path of the warehouse folder")
    return Path(value).resolve()
