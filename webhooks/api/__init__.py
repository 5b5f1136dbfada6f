"""The webhooks API: endpoints (CRUD, secret rotation, test events) and the delivery log.

It uses the API plumbing of `core.api` (authentication, error envelope, pagination):
one API surface, one set of conventions.
"""
