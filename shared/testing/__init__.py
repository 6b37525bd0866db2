"""Helpers that start real infrastructure (Kafka brokers, …) for the tests and `vidgen dev`."""
