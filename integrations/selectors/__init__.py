"""Reads of the integrations domain, a submodule per sub-domain: integrations, dashboard
(the integration list and its health states, API keys, request logs), history (an
integration's audit timeline and credential versions), links (and what the hosted form asks
for), scope configs."""
