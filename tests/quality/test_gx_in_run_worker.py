"""GX must import in a Dagster run worker.

Runs launched from the UI, the schedule or the sensor execute in a `python -c` process. There,
importing GX (which imports pyspark, installed for dbt-spark) used to end the process with exit
code 0 from inside pyspark, and every GX check step failed with `SystemExit: 0`.
"""

import subprocess
import sys

from dagster_project import config


def test_gx_imports_in_a_python_c_process():
    code = (
        "from dagster_project.defs.quality.gx_runner import _patch_gx_for_duckdb\n"
        "_patch_gx_for_duckdb()\n"
        "import great_expectations\n"
        "print('gx', great_expectations.__version__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("gx "), f"the process ended before GX was imported: {done.stderr[-2000:]}"
