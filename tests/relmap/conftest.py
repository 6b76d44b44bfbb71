import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from tests.fuzz_summary import fuzz_counts_of
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


@pytest.fixture
def fuzz_counts(request) -> Counter:
    """Requests the hostile-input fuzz sent, by kind, for the summary at the end of the run."""
    return fuzz_counts_of(request.config)
