"""The webhooks API: endpoints (CRUD, secret rotation, test events) and the delivery log.

It shares the API plumbing of `integrations.api` (authentication, error envelope, pagination):
one API surface, one set of conventions.
"""
