from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SDK = Path(__file__).parents[2]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_the_sources_pass_ruff(command: list[str]) -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", str(SDK)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
