"""The operator's app of the embedded-flow browser tests: a page on another site that opens a
link with Kombo's official frontend library, `@kombo-api/connect` from npm, and keeps what its
promise came to in `window.outcome`."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "e2e/kombo_connect/node_modules/@kombo-api/connect/dist/index.mjs"
APP = """<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<button id="open">Connect your HR system</button>
<script type="module">
  import { showKomboConnect } from "/kombo-connect.mjs";
  document.getElementById("open").addEventListener("click", function () {
    window.outcome = showKomboConnect(%s).then(
      function (token) { return { token: token }; },
      function (error) { return { error: error.name }; }
    );
  });
</script>
</body></html>"""


def on_ip(httpserver: HTTPServer, path: str) -> str:
    # The operator's app on 127.0.0.1, the connect pages on localhost: another site.
    return f"http://127.0.0.1:{httpserver.port}{path}"
