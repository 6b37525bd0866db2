"""`python -m services.ingest` runs the ingest service."""

from services.ingest.app import main

main()
