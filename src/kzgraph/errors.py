"""The one exception type for user errors: its message is a single line fit to print."""


class KzError(Exception):
    """Bad input from the user (file, query, name, date): the message names what and where."""
