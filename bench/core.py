"""Shared pieces of the benchmarks: timing, result rows and the table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


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

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool:
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target


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
    header = f"{'benchmark':70} {'figure':>14} {'baseline':>14} {'ratio':>7} {'target':>8}  result"
    lines = [header, "-" * len(header)]
    for row in rows:
        target = f"{'>=' if row.higher_is_better else '<='} {row.target:g}"
        lines.append(
            f"{row.name:70} {row.figure:11.2f} {row.unit:<2} {row.baseline:11.2f} {row.unit:<2} "
            f"{row.ratio:7.2f} {target:>8}  {'pass' if row.passed else 'FAIL'}"
        )
    return "\n".join(lines)
