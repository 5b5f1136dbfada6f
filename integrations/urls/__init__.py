"""URL patterns, a module per namespace: `dashboard` (integration, link, API key and request
log pages), `scope_configs` and `connect` (the hosted flow)."""
