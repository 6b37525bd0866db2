"""The ingest service: HTTP API and Kafka intake; owns jobs, elements and their timeline."""
