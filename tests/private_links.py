"""The private links the site emails, as paths a test can visit."""

import re

from django.urls import resolve, reverse

from directory import tokens


def token_of(url: str) -> str:
    """The token at the end of a private link."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def manage_token(entry) -> str:
    """The token of a fresh link to manage the entry, as its owner's email carries it."""
    return token_of(tokens.management_url(entry))


def manage_path(entry, name: str = "directory:manage") -> str:
    """The path of the owner's private page `name` for the entry."""
    return reverse(name, kwargs={"token": manage_token(entry)})


def manage_links(html: str, attribute: str, view_name: str) -> list:
    """The entries whose private `view_name` page the HTML's `attribute`s (href, action) lead to.

    A page signs its own links: compare where they lead, not the signatures' timestamps, which
    differ when the page is rendered a second after the test signed its link.
    """
    matches = [resolve(path) for path in re.findall(rf'{attribute}="(/manage/[^"]+)"', html)]
    return [
        tokens.entry_to_manage(match.kwargs["token"])
        for match in matches
        if match.view_name == view_name
    ]
