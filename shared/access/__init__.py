"""Who is calling a public API and how much they may: API keys, the caller (Principal) the
database acts as, rate limits, and the HTTP gate ingest and storage share."""
