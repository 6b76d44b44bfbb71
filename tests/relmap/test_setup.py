"""The quick start's interpreter finder (scripts/find-python)."""

import subprocess
import sys

from django.conf import settings

FIND_PYTHON = str(settings.BASE_DIR / "scripts" / "find-python")


def test_find_python_prints_a_python_312_or_newer():
    found = subprocess.run([FIND_PYTHON], capture_output=True, text=True, check=True).stdout

    version = subprocess.run(
        [found.strip(), "-c", "import sys; print(sys.version_info >= (3, 12))"],
        capture_output=True,
        text=True,
    ).stdout
    assert version.strip() == "True"


def test_find_python_stops_with_one_clear_line_when_there_is_none(tmp_path):
    # Only an old Python on the PATH, and no pyenv.
    (tmp_path / "python3").symlink_to(sys.executable)
    fake_old = tmp_path / "bin"
    fake_old.mkdir()
    (fake_old / "python3").write_text("#!/bin/sh\nexit 1\n")
    (fake_old / "python3").chmod(0o755)

    result = subprocess.run(
        ["/bin/sh", FIND_PYTHON],
        capture_output=True,
        text=True,
        env={
            "PATH": f"{fake_old}:/nonexistent",
            "HOME": str(tmp_path),
            "PYENV_ROOT": str(tmp_path),
        },
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Relationships Map needs Python 3.12 or newer: "
        "install python3.13 (or 3.12) and run this again."
    ]
