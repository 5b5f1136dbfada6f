"""The demo `make run` seeds (`manage.py seed_demo`). It spans every app: Sandbox HR's accounts,
the customers' integrations, their week of syncs and the webhooks they caused. So it lives with
the wiring, the one place allowed to import them all."""
