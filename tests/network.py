"""Connections for the tests of the map's lines and the network view."""

from directory.models import Connection, ContentVersion


def connect(proposer, partner, *, kind=Connection.Kind.PARTNERS, confirmed=True, phrase=""):
    """A connection as the lifecycle makes one: the row, then the directory's version moved
    forward."""
    status = Connection.Status.CONFIRMED if confirmed else Connection.Status.PROPOSED
    connection = Connection.objects.create(
        proposer=proposer, partner=partner, kind=kind, status=status, phrase=phrase
    )
    ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    return connection
