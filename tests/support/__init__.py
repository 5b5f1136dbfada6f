"""What tests share, one home per kind of helper; conftest.py files only declare fixtures.

- `factories`: rows and whole setups built the way the product builds them (factory-boy and
  service calls): integrations, scope configs, Sandbox HR logins and integrations, webhook
  endpoints and deliveries.
- `fakes/`: fake vendor servers, one module per vendor, all declared and served one way
  (`fakes.server`; their fixtures are in tests/conftest.py).
- `receivers`: webhook receivers, signature-checking and slow on purpose.
- `processes`: real processes (Redis, Celery workers, gunicorn), free ports, and running
  queued syncs as a worker would.
- `relink`: broken integrations and what repairing one through a link takes.
- `roles`: role groups, the per-role world and its URLs.
- `pages`, `sandbox_hr`: pages as a test client sees them; signing in to Sandbox HR.
- `browser`, `accessibility`, `site_pages`: what browser tests look at and check, and the
  seeded site they walk.
- `hostile`, `timestamps`, `services`: markup an attacker plants, timestamps as on the wire,
  and skipping (or failing in CI) when a service a test needs is missing.
"""
