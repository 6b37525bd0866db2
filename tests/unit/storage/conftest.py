"""Unit tests of the storage service (no network, no servers)."""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:  # plain `pytest` (unlike `python -m pytest`) leaves it out
    sys.path.insert(0, _ROOT)
