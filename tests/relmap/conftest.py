import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from tests.processes import PostgresCluster, require_postgres_server


@pytest.fixture(scope="module")
def postgres_cluster():
    require_postgres_server()
    # Under /tmp, not pytest's private temporary folder: as root, the server runs as the
    # `postgres` user, who must be able to reach it.
    directory = Path(tempfile.mkdtemp(prefix="relmap-pg-"))
    cluster = PostgresCluster(directory)
    cluster.start()
    yield cluster
    cluster.stop()
    shutil.rmtree(directory, ignore_errors=True)


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
