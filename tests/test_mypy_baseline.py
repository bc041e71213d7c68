"""bin/mypy-baseline fails on a type error that is not in the baseline and passes on one that is, wherever it moved.

The planted module lives in a temporary folder; it uses the project's mypy configuration and the django-stubs
plugin, so a model's fields are typed as in the real check.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "mypy-baseline"

PLANTED = """\
from tickets.models import Ticket


def subject_length(ticket: Ticket) -> int:
    return ticket.subject  # a str is not an int
"""


def mypy_baseline(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_a_planted_type_error_fails_and_a_known_one_passes_after_moving(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(PLANTED)
    empty_baseline = tmp_path / "empty-baseline.txt"
    empty_baseline.write_text("")

    result = mypy_baseline("--baseline", empty_baseline, planted)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 new type errors" in result.stdout
    assert f"{planted}:5: error: Incompatible return value type" in result.stdout

    # The same error, recorded in the baseline, passes even after the code moved down two lines.
    baseline = tmp_path / "baseline.txt"
    assert mypy_baseline("--update", "--baseline", baseline, planted).returncode == 0
    planted.write_text("\n\n" + PLANTED)
    result = mypy_baseline("--baseline", baseline, planted)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 errors, 1 in the baseline" in result.stdout

    # Once it is fixed, the check passes and asks for the baseline to shrink.
    planted.write_text(PLANTED.replace("return ticket.subject", "return len(ticket.subject)"))
    result = mypy_baseline("--baseline", baseline, planted)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 baseline errors are fixed: run bin/mypy-baseline --update" in result.stdout
