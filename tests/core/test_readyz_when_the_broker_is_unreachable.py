"""`/readyz` answers 503 naming the broker when Celery's broker cannot be reached: Redis does
not answer PING (django-health-check's Redis check), or the filesystem transport's folders
(kombu's `filesystem://`, the embedded default) are missing. The answer never shows the broker
URL or its password."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from core.services.workers import worker_heartbeat_record
from tests.support.processes import free_port

# Transactional: readyz may check from a thread of its own (see core.health.readyz).
pytestmark = pytest.mark.django_db(transaction=True)


def test_it_answers_503_when_redis_does_not_answer(client: Client) -> None:
    worker_heartbeat_record(hostname="celery@worker-1")
    closed = f"redis://:broker-password-1@127.0.0.1:{free_port()}/0"

    with override_settings(CELERY_BROKER_URL=closed):
        response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("Unavailable: Unable to connect to Redis")
    assert [name for name, outcome in checks.items() if outcome != "ok"] == ["broker"]
    assert b"broker-password-1" not in response.content


def _folders(root: Path) -> dict[str, str]:
    return {
        "data_folder_in": str(root / "queue"),
        "data_folder_out": str(root / "queue"),
        "control_folder": str(root / "control"),
    }


def test_it_checks_the_filesystem_transports_folders(client: Client, tmp_path: Path) -> None:
    worker_heartbeat_record(hostname="celery@worker-1")
    options = _folders(tmp_path)

    with override_settings(
        CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options
    ):
        missing = client.get("/readyz")
        for folder in set(options.values()):
            Path(folder).mkdir()
        present = client.get("/readyz")

    assert missing.status_code == 503
    assert "missing or not writable" in missing.json()["checks"]["broker"]
    assert str(tmp_path).encode() not in missing.content
    assert present.status_code == 200, present.content
