"""/metrics reports how many messages wait in each Celery queue, as the broker counts them
(kombu's `queue_declare` answers with the message count, AMQP 0-9-1's queue.declare-ok: on Redis
the lengths of the queue's lists): a queued sync shows up in the syncs queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from core.models import Environment
from integrations.models import SyncType
from kombo_site.celery import app
from syncs.models import SyncTrigger
from syncs.services import sync_enqueue
from tests.support.factories import IntegrationFactory
from tests.support.metrics import metrics_token, scrape
from tests.support.processes import celery_app_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_queues() -> Iterator[None]:
    """This test process's queues (their names carry its prefix), emptied before and after."""

    def purge() -> None:
        with app.connection_for_write() as connection:
            channel: Any = connection.default_channel
            for queue in settings.CELERY_TASK_QUEUES:
                channel.queue_purge(queue.name)

    purge()
    yield
    purge()


def test_it_counts_a_queued_sync_in_the_syncs_queue(
    empty_queues: None, environment: Environment, django_capture_on_commit_callbacks: Any
) -> None:
    integration = IntegrationFactory(environment=environment)
    with metrics_token():
        before = scrape()
        with django_capture_on_commit_callbacks(execute=True):
            sync_enqueue(integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API)
        after = scrape()

    syncs_queue = settings.CELERY_SYNCS_QUEUE
    assert before.value("kombo_celery_queue_length", queue=syncs_queue) == 0
    assert after.value("kombo_celery_queue_length", queue=syncs_queue) == 1
    assert after.value("kombo_celery_queue_length", queue=settings.CELERY_WEBHOOKS_QUEUE) == 0
    assert after.label_values("kombo_celery_queue_length", "queue") == {
        queue.name for queue in settings.CELERY_TASK_QUEUES
    }


def test_it_counts_the_message_files_of_the_embedded_filesystem_broker(
    tmp_path: Path, environment: Environment, django_capture_on_commit_callbacks: Any
) -> None:
    """The transport of `make run` (kombu's filesystem transport: one file per message)."""
    folder = tmp_path / "queue"
    folder.mkdir()
    (tmp_path / "control").mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        # Else kombu writes its exchange table under the working directory.
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    previous = app.conf.broker_transport_options
    app.conf.broker_transport_options = options
    try:
        with celery_app_on("filesystem://"), metrics_token():
            before = scrape()
            with django_capture_on_commit_callbacks(execute=True):
                for integration in IntegrationFactory.create_batch(2, environment=environment):
                    sync_enqueue(
                        integration=integration, sync_type=SyncType.FULL, trigger=SyncTrigger.API
                    )
            after = scrape()
    finally:
        app.conf.broker_transport_options = previous

    syncs_queue = settings.CELERY_SYNCS_QUEUE
    assert len(list(folder.iterdir())) == 2
    assert before.value("kombo_celery_queue_length", queue=syncs_queue) == 0
    assert after.value("kombo_celery_queue_length", queue=syncs_queue) == 2
