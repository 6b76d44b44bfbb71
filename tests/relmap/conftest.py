from collections import Counter

import pytest

FUZZ_COUNTS = pytest.StashKey[Counter]()


@pytest.fixture
def fuzz_counts(request) -> Counter:
    """Requests the hostile-input fuzz sent, by kind, for the summary at the end of the run."""
    return request.config.stash.setdefault(FUZZ_COUNTS, Counter())


def pytest_terminal_summary(terminalreporter, config):
    counts = config.stash.get(FUZZ_COUNTS, None)
    if not counts:
        return
    from django.db import connection

    kinds = ", ".join(f"{count:,} {kind}" for kind, count in sorted(counts.items()))
    terminalreporter.write_line(
        f"Hostile-input fuzz on {connection.vendor}: {counts.total():,} requests sent ({kinds})."
    )
