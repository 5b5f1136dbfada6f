"""Scraping /metrics as Prometheus would, and reading the answer with prometheus-client's own
parser of the text exposition format (an outside parser: what it reads, Prometheus reads)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

METRICS_TOKEN = "scrape-token-for-tests"


@dataclass(frozen=True)
class Scrape:
    """Every sample of one scrape: `value(name, **labels)`, 0 for a series not exposed (a
    labelled counter has no series before its first increment)."""

    samples: dict[tuple[str, frozenset[tuple[str, str]]], float]

    def value(self, name: str, **labels: str) -> float:
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def moved_since(self, earlier: Scrape, name: str, **labels: str) -> float:
        """How much a series grew (or shrank) since an earlier scrape."""
        return self.value(name, **labels) - earlier.value(name, **labels)

    def names(self) -> set[str]:
        return {name for name, _ in self.samples}

    def label_values(self, name: str, label: str) -> set[str]:
        return {
            dict(labels)[label]
            for sample, labels in self.samples
            if sample == name and label in dict(labels)
        }


def parse(text: str) -> Scrape:
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    return Scrape(samples)


@contextmanager
def metrics_token() -> Iterator[None]:
    with override_settings(METRICS_TOKEN=METRICS_TOKEN, METRICS_ALLOWED_ADDRESSES=[]):
        yield


def scrape(client: Client | None = None) -> Scrape:
    """GET /metrics with the right token (inside `metrics_token()`), parsed."""
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200, response.content[:500]
    return parse(response.content.decode())
