"""What tests share, one home per kind of helper; conftest.py files only declare fixtures.

- `factories`: rows built the way the product builds them (factory-boy and service calls).
- `fakes/`: fake vendor servers, one module per vendor, all served by `fakes.server`.
- `receivers`: webhook receivers, well-behaved and slow on purpose.
- `processes`: real processes (Redis, Celery workers, gunicorn) and running queued work.
- `services`: skipping, or failing in CI, when a service a test needs is missing.
"""
