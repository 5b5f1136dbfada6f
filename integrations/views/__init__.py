"""Pages of the dashboard and the hosted flow, a submodule per sub-domain: integrations,
dashboard (API keys, request logs), links (creating, showing and revoking one, and the hosted
flow a customer opens from it), scope configs. Thin views over selectors (reads) and services
(writes)."""
