"""`python -m services.storage`: run the storage service."""

from services.storage.app import main

main()
