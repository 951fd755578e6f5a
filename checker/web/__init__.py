"""The workspace (``xxgk serve``): an ASGI app over the store. ``app`` builds it, ``views`` and
``actions`` answer pages and forms, ``jobs`` checks in the background, ``security`` guards it;
templates and static files ship in the package (no CDN: it works offline)."""
