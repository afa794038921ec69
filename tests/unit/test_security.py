"""Nothing in the code unpickles untrusted files."""

from __future__ import annotations

from helpers import ROOT


def test_our_code_never_unpickles_without_weights_only():
    import re

    for path in (ROOT / "src").rglob("*.py"):
        for call in re.findall(r"torch\.load\([^)]*\)", path.read_text()):
            assert "weights_only=True" in call, f"{path}: {call}"
