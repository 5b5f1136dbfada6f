"""Shared pieces of the benchmarks: timing, result rows and the table."""

from __future__ import annotations

import json
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Row:
    """One benchmark: its figure against a baseline measured in the same run."""

    name: str
    figure: float
    baseline: float
    unit: str
    # The ratio figure/baseline must stay at or below this (or at or above, see below).
    target: float
    higher_is_better: bool = False
    # An absolute budget on the figure itself, in `unit`, for requirements stated as a time
    # ("under 150 ms median") rather than only relative to a baseline.
    limit: float | None = None
    # How the figure was measured (set-up, percentiles, the floor beside it), printed as a
    # numbered note under the table so that each row stays one line of a readable width.
    detail: str = ""

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool:
        within_target = (
            self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target
        )
        within_limit = self.limit is None or (
            self.figure >= self.limit if self.higher_is_better else self.figure <= self.limit
        )
        return within_target and within_limit


def median_seconds(call: Callable[[], object], rounds: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def table(rows: list[Row]) -> str:
    width = max([40, *(len(row.name) for row in rows)])
    header = (
        f"{'benchmark':{width}} {'figure':>14} {'baseline':>14} {'ratio':>7} {'target':>8} "
        f"{'limit':>11}  result"
    )
    lines = [header, "-" * len(header)]
    notes: list[str] = []
    for row in rows:
        sign = ">=" if row.higher_is_better else "<="
        target = f"{sign} {row.target:g}"
        limit = f"{sign} {row.limit:g} {row.unit}" if row.limit is not None else ""
        line = (
            f"{row.name:{width}} {row.figure:11.2f} {row.unit:<2} {row.baseline:11.2f} "
            f"{row.unit:<2} {row.ratio:7.2f} {target:>8} {limit:>11}  "
            f"{'pass' if row.passed else 'FAIL'}"
        )
        if row.detail:
            notes.append(f"[{len(notes) + 1}] {row.detail}")
            line += f"  [{len(notes)}]"
        lines.append(line)
    if notes:
        lines.extend(["", *notes])
    return "\n".join(lines)


def process_stop(process: subprocess.Popen[Any], *, timeout: float) -> None:
    """SIGTERM; SIGKILL when it has not exited within `timeout` seconds."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def subprocess_json(module: str, spec: Any, *, timeout: float, what: str) -> Any:
    """Run `python -m module` with `spec` as JSON on stdin; its stdout parsed as JSON. The
    benchmarks' clients run this way so that their CPU time is not the measured side's."""
    completed = subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{what} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout)
