import pytest
from django.http import HttpResponse

from relmap.middleware import ClientAddressMiddleware


def address_seen(rf, forwarded: str | None) -> str:
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    ClientAddressMiddleware(view)(rf.get("/", REMOTE_ADDR="10.0.0.1", **headers))
    return seen["address"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the left one could be forged
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: keep the peer
        (1, None, "10.0.0.1"),
    ],
)
def test_the_visitors_address_comes_from_trusted_proxies_only(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert address_seen(rf, forwarded) == expected
