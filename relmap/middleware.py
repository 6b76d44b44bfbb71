from django.conf import settings


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the visitor's address when the site runs behind trusted proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N trusted proxies the visitor is the Nth address from the right; anything further left
    could be forged by the visitor. Rate limits and login lockouts read REMOTE_ADDR."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if proxies and forwarded:
            addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
            if len(addresses) >= proxies:
                request.META["REMOTE_ADDR"] = addresses[-proxies]
        return self.get_response(request)
