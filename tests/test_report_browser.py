"""The report in a real browser: headless Debian Chromium driven over the DevTools protocol.

Renders the report from the fixture marts (tests/test_report.py), opens it in Chromium and fails on
- any console error, uncaught exception or browser log error (e.g. a resource that failed to load),
- any request that leaves the page's own file (the report must work offline),
- any chart slot that did not render: per section, the SVGs with a real size and drawn marks must
  equal both the page's own `data-expected-charts` and this test's expectation for the fixture,
- any chart slot marked as failed.
Screenshots (top of the page and one per section) go to tests/artifacts/ (git-ignored).

Chromium: /usr/bin/chromium (install with .ci/install-chromium.sh). A test that downloads its own
browser would not run offline, so none is used.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from websockets.sync.client import connect

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
]
# Charts the fixture must produce per section (the fixture has 4 models with cohort data).
EXPECTED_CHARTS = {
    "volume": 2,
    "open_closed": 1,
    "oss": 3,
    "agentic": 2,
    "request_shape": 3,
    "categories": 3,
    "category_segments": 3,
    "language": 1,
    "geography": 2,
    "retention": 4,
    "price": 3,
    "concentration": 2,
    "public_rankings": 2,
}
# One JS expression that reports, per section, how many chart slots rendered a visible SVG.
INSPECT_JS = r"""
(() => {
  const drawn = (svg) => {
    const box = svg.getBoundingClientRect();
    const marks = svg.querySelectorAll('path, rect, line, circle, text, polygon').length;
    return box.width > 50 && box.height > 50 && marks > 5;
  };
  const sections = [...document.querySelectorAll('section.report-section')].map((s) => {
    const ok = [...s.querySelectorAll('figure.chart[data-status="ok"]')];
    return {
      id: s.id,
      expected: Number(s.dataset.expectedCharts),
      slots_ok: ok.length,
      rendered: ok.filter((f) => { const svg = f.querySelector('svg'); return svg && drawn(svg); }).length,
      failed: s.querySelectorAll('figure.chart[data-status="error"]').length,
      empty: s.querySelectorAll(
        'figure.chart[data-status="empty"], figure.chart[data-status="absent"]').length,
    };
  });
  return JSON.stringify({
    title: document.title,
    sections,
    summary_rows: document.querySelectorAll('#summary tbody tr').length,
    scripts: document.querySelectorAll('script').length,
  });
})()
"""


def _load_fixture_builder():
    """Import build_fixture_marts from test_report.py whatever pytest's import mode is."""
    spec = importlib.util.spec_from_file_location(
        "_report_fixture", Path(__file__).with_name("test_report.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_fixture_marts


class DevTools:
    """A minimal synchronous DevTools-protocol client for one page target."""

    def __init__(self, ws_url: str):
        self.ws = connect(ws_url, max_size=None, open_timeout=15)
        self._id = 0
        self.events: list[dict] = []

    def call(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self._id += 1
        msg_id = self._id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, event: str, timeout: float = 30) -> dict:
        for i, msg in enumerate(self.events):
            if msg.get("method") == event:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("method") == event:
                return msg
            self.events.append(msg)

    def drain(self, seconds: float) -> None:
        """Collect events for a short while (late console messages)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.events.append(json.loads(self.ws.recv(timeout=left)))
            except TimeoutError:
                break

    def close(self) -> None:
        self.ws.close()


@contextmanager
def chromium_page(width: int = 1280, height: int = 1000) -> Iterator[DevTools]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run .ci/install-chromium.sh (or set CHROMIUM)")
    profile = Path(tempfile.mkdtemp(prefix="report-chromium-"))
    proc = subprocess.Popen(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        # with port 0 Chromium picks a free port and writes it to DevToolsActivePort
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None:
                pytest.fail(f"chromium exited early: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("chromium did not open its DevTools port within 30 s")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t.get("type") == "page")
        client = DevTools(page["webSocketDebuggerUrl"])
        try:
            for domain in ("Runtime", "Log", "Page", "Network"):
                client.call(f"{domain}.enable")
            yield client
        finally:
            client.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def _problems_from_events(events: list[dict], page_url: str) -> list[str]:
    problems = []
    for ev in events:
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            problems.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            problems.append(
                "uncaught exception: "
                f"{details.get('exception', {}).get('description') or details.get('text')}"
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            problems.append(
                f"browser log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}"
            )
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url != page_url and not url.startswith(("data:", "about:")):
                problems.append(f"network request leaves the page: {url}")
        elif method == "Network.loadingFailed":
            problems.append(f"resource failed to load: {params.get('errorText')}")
    return problems


def inspect_page(
    page: DevTools, html_path: Path, screenshot_prefix: str | None = None
) -> tuple[dict, list[str]]:
    """Load the page, return (DOM report, problems). Optionally save screenshots."""
    url = html_path.resolve().as_uri()
    page.call("Page.navigate", {"url": url})
    page.wait_for("Page.loadEventFired", timeout=60)
    page.drain(0.5)
    result = page.call("Runtime.evaluate", {"expression": INSPECT_JS, "returnByValue": True})
    if "exceptionDetails" in result:
        raise RuntimeError(f"inspection script failed: {result['exceptionDetails']}")
    report = json.loads(result["result"]["value"])
    problems = _problems_from_events(page.events, url)
    for s in report["sections"]:
        if s["failed"]:
            problems.append(f"section {s['id']}: {s['failed']} chart(s) marked as failed")
        if s["rendered"] != s["expected"] or s["slots_ok"] != s["expected"]:
            problems.append(
                f"section {s['id']}: {s['rendered']} charts rendered, page expects {s['expected']}"
            )
    if screenshot_prefix:
        _screenshots(page, report, screenshot_prefix)
    return report, problems


def _screenshots(page: DevTools, report: dict, prefix: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(name: str, clip: dict | None) -> None:
        # no clip: the first screen (title, generation note, start of the summary table)
        params = {"format": "png", "captureBeyondViewport": clip is not None}
        if clip:
            params["clip"] = {**clip, "scale": 1}
        data = page.call("Page.captureScreenshot", params, timeout=60)["data"]
        (ARTIFACTS / f"{prefix}{name}.png").write_bytes(base64.b64decode(data))

    shot("top", None)
    for s in report["sections"]:
        box = page.call(
            "Runtime.evaluate",
            {
                "returnByValue": True,
                "expression": (
                    f"(() => {{ const r = document.getElementById({json.dumps(s['id'])})"
                    ".getBoundingClientRect();"
                    " return JSON.stringify({x: r.left + window.scrollX, y: r.top + window.scrollY,"
                    " width: r.width, height: Math.min(r.height, 12000)}); })()"
                ),
            },
        )
        shot(f"section_{s['id']}", json.loads(box["result"]["value"]))


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    from dagster_project.defs.report.render import render_report

    build_fixture_marts = _load_fixture_builder()
    marts = build_fixture_marts(tmp_path_factory.mktemp("marts") / "marts.duckdb")
    return render_report(marts, tmp_path_factory.mktemp("report"))


def test_report_renders_in_chromium_without_errors(report_html):
    with chromium_page() as page:
        report, problems = inspect_page(page, report_html, screenshot_prefix="report_")
    assert not problems, "\n".join(problems)
    assert report["scripts"] == 0
    assert report["summary_rows"] > 50
    rendered = {s["id"]: s["rendered"] for s in report["sections"]}
    assert rendered == EXPECTED_CHARTS
    assert (ARTIFACTS / "report_top.png").stat().st_size > 10_000


def test_checker_catches_a_broken_page(tmp_path):
    """The checks above are not vacuous: a page with an error, a missing chart and a remote fetch fails."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>bad</title></head><body>"
        '<section class="report-section" id="broken" data-expected-charts="2">'
        '<figure class="chart" data-status="ok"><svg width="300" height="200"></svg></figure>'
        '<figure class="chart" data-status="error">failed</figure></section>'
        "<script>console.error('boom'); fetch('http://127.0.0.1:9/x.js').catch(() => {});</script>"
        "</body></html>",
        encoding="utf-8",
    )
    with chromium_page() as page:
        _, problems = inspect_page(page, bad)
    text = "\n".join(problems)
    assert "console.error: boom" in text
    assert "leaves the page: http://127.0.0.1:9/x.js" in text
    assert "0 charts rendered, page expects 2" in text
    assert "marked as failed" in text


@pytest.mark.skipif(not os.environ.get("REPORT_MARTS_DB"), reason="REPORT_MARTS_DB not set")
def test_real_marts_render_in_chromium(tmp_path):
    """The same checks on a real published marts file (e.g. after `make demo`)."""
    from dagster_project.defs.report.render import build_report

    result = build_report(Path(os.environ["REPORT_MARTS_DB"]), tmp_path / "report")
    with chromium_page() as page:
        report, problems = inspect_page(page, result.path, screenshot_prefix="real_")
    assert not problems, "\n".join(problems)
    assert not result.errored_sections and not result.headline_errors
    assert sum(s["rendered"] for s in report["sections"]) == result.chart_count
