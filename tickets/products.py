"""The products a customer can name on a new request.

Tickets know no product catalogue: after-sales registers a source that lists the products the customer's
organisation has registered, and the portal's form offers them. A ticket keeps the product as text, so
tickets written before (or about a product nobody registered) stay as they are.
"""

from collections.abc import Callable

# source(user) -> [(value, label), ...]; value is opaque to tickets, label is what the ticket records.
_sources: list[Callable] = []


def register_product_source(source: Callable) -> None:
    if source not in _sources:
        _sources.append(source)


def products_for(user) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for source in _sources:
        choices.extend((str(value), str(label)) for value, label in source(user))
    return choices
