"""Messages written by the worker but read later, by people who may use another language.

The worker stores a message as its msgid (the Indonesian source text, marked for the catalog) and its
parameters; a page or the API renders it in the reader's active language with :func:`format_message`.
"""

from django.utils.translation import gettext


def format_message(msgid: str, params: dict | None = None) -> str:
    text = gettext(msgid)
    return text % params if params else text
