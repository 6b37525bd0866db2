"""Postgres access for vidgen: the schema's SQL migrations and their runner."""
