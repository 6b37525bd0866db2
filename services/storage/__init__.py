"""The storage service: safe source downloads into the asset cache, result publishing and
result URLs (see app.py for the wiring)."""
