"""Refresh the Dagster UI screenshots in docs/img/ (used by the README).

Start the UI on a materialized warehouse (`make demo`, then `make dev`), then:
    .venv/bin/python docs/capture_ui.py [http://127.0.0.1:3000]
Drives Debian's headless Chromium over the DevTools protocol (as tests/test_report_browser.py).
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

PAGES = {
    "dagster-lineage-groups.png": "/asset-groups",
    "dagster-lineage-open-closed.png": "/assets/marts/open_closed_weekly?view=lineage&lineageScope=upstream&lineageDepth=6",
    "dagster-checks-fct-generations.png": "/assets/core/fct_generations?view=checks",
}
# The UI's first-visit dialog hides the page: press its Skip button.
SKIP_DIALOG = "[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Skip')?.click()"


def capture(url: str, out: Path, port: int = 9333) -> None:
    browser = subprocess.Popen(
        ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--remote-debugging-port={port}", f"--user-data-dir={tempfile.mkdtemp()}", "--window-size=1700,1000",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                break
            except OSError:
                time.sleep(0.2)
        page = next(t for t in tabs if t["type"] == "page")
        with connect(page["webSocketDebuggerUrl"], max_size=None) as ws:
            ids = iter(range(1, 1000))

            def call(method: str, **params) -> dict:
                n = next(ids)
                ws.send(json.dumps({"id": n, "method": method, "params": params}))
                while (msg := json.loads(ws.recv())).get("id") != n:
                    pass
                return msg.get("result", {})

            call("Page.enable")
            call("Page.navigate", url=url)
            time.sleep(20)  # the UI loads its data in several GraphQL rounds
            call("Runtime.evaluate", expression=SKIP_DIALOG)
            time.sleep(2)
            out.write_bytes(base64.b64decode(call("Page.captureScreenshot", format="png")["data"]))
    finally:
        browser.kill()


if __name__ == "__main__":
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3000"
    for name, path in PAGES.items():
        capture(base + path, Path(__file__).parent / "img" / name)
        print("wrote", name)
