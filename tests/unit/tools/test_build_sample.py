"""tools/build_sample.py regenerates the bundled sample byte for byte (the CSV is package data; the
generator is a development tool outside the package)."""

from __future__ import annotations

import runpy
from importlib import resources

from helpers import ROOT


def test_the_generator_rebuilds_the_shipped_sample_byte_for_byte(tmp_path, capsys):
    generator = runpy.run_path(str(ROOT / "tools" / "build_sample.py"))
    generator["main"](["--output", str(tmp_path / "sample.csv")])
    shipped = (resources.files("supportbot.data") / "sample.csv").read_bytes()
    assert (tmp_path / "sample.csv").read_bytes() == shipped
    assert "378 rows" in capsys.readouterr().out


def test_the_generator_is_not_part_of_the_installed_package():
    assert not (resources.files("supportbot.data") / "build_sample.py").is_file()
