from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import spark


def test_the_installed_package_is_typed_and_passes_mypy_strict() -> None:
    package = Path(spark.__file__).parent
    assert (package / "py.typed").exists(), "the wheel must ship py.typed"
    # -p finds the installed package, which mypy only reads as typed because of py.typed.
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir=/dev/null", "-p", "spark"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
