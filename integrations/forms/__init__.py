"""Forms of the dashboard and the hosted flow, a submodule per sub-domain: integrations,
dashboard (API keys, request logs), links (creating one, and the hosted credential form),
scope configs. Input parsing only: the writes happen in services."""
