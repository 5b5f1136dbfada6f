"""No product function is over 60 lines (issue 15: "no product function is over 60 lines").

Product code is every app and the wiring; migrations are generated, tests and benchmarks are
not product code. A function's length runs from its `def` (decorators aside) to its last line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT_PACKAGES = ("kombo_site", "core", "integrations", "syncs", "webhooks", "sandbox_hr")
MAX_LINES = 60


def _functions_over_the_limit() -> list[str]:
    over = []
    for package in PRODUCT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > MAX_LINES:
                        over.append(
                            f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})"
                        )
    return over


def test_it_keeps_every_product_function_within_60_lines() -> None:
    assert _functions_over_the_limit() == []


def test_it_reads_every_product_package() -> None:
    """The check would pass vacuously if a package moved away from where it looks."""
    for package in PRODUCT_PACKAGES:
        assert (ROOT / package / "__init__.py").exists(), package
