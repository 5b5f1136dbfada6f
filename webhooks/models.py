"""Webhook endpoints, events and deliveries arrive with the webhooks issue."""
