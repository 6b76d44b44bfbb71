"""The line at the end of a run that says how many hostile requests the fuzz sent
(tests/relmap/test_fuzz.py). With several workers (pytest-xdist) each counts its own and
hands its counts to the main process, which prints the sum."""

from collections import Counter

import pytest

FUZZ_COUNTS = pytest.StashKey[Counter]()


def fuzz_counts_of(config) -> Counter:
    return config.stash.setdefault(FUZZ_COUNTS, Counter())


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a worker: its counts go to the main process
        session.config.workeroutput["fuzz_counts"] = dict(fuzz_counts_of(session.config))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    fuzz_counts_of(node.config).update(node.workeroutput.get("fuzz_counts", {}))


def pytest_terminal_summary(terminalreporter, config):
    counts = fuzz_counts_of(config)
    if not counts:
        return
    from django.db import connection

    kinds = ", ".join(f"{count:,} {kind}" for kind, count in sorted(counts.items()))
    terminalreporter.write_line(
        f"Hostile-input fuzz on {connection.vendor}: {counts.total():,} requests sent ({kinds})."
    )
