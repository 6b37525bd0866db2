"""Outbound requests to user-given URLs (source downloads, completion webhooks): one address
policy (`addresses`) and one way of connecting to the checked address (`pinned`)."""
