"""`python -m services.render`: one render worker (see services.render.app)."""

from services.render.app import main

main()
