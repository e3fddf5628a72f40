"""site.data.products: a data loader is a data/*.py file whose load() runs once per build.

What it returns is available to every template, and to `paths:` expressions, so
pages can come from Python (a database, an API, files): see pages/products/.
"""


def load() -> list[dict[str, object]]:
    return [
        {"slug": "kayak", "name": "Sea kayak", "price": 1450, "tags": ["boats"]},
        {"slug": "paddle", "name": "Carbon paddle", "price": 320, "tags": ["gear"]},
        {"slug": "drybag", "name": "Dry bag, 20 l", "price": 35, "tags": ["gear", "bags"]},
    ]
