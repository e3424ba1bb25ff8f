"""Errors the working group's rules raise; the web layer turns them into 4xx answers."""


class NotFound(LookupError):
    """No such record."""


class Refused(ValueError):
    """The request breaks a rule of the group; the message says which."""
