from __future__ import annotations

import subprocess
import sys

from support import ROOT


def test_python_api_example_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "python_api" / "walk.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Contact Best Buy Geek Squad"
    assert lines[1] == "  Best Buy Geek Squad: https://www.bestbuy.com/services/geek-squad"
    assert lines[2].startswith("token: account-login.")
    assert lines[3] == "after changing where it was bought: Contact your internet service provider"
    assert "Check the details you sign in with" in lines
