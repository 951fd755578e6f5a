"""MHTML reader (.mht, .mhtml): a web page saved by a browser or by Word as one MIME file, as
offices often keep a published report. The page's HTML part is read by the HTML reader; the
images and style sheets beside it are not looked at."""
from __future__ import annotations

import email
import email.policy
from dataclasses import replace

from ..errors import ReadError
from ..model import Document
from . import html
from .bounds import check_mime_parts
from .guard import never_raises


@never_raises("the MHTML file")
def read(name: str, data: bytes) -> Document:
    check_mime_parts(name, data)
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        every = list(message.walk())
    except RecursionError:
        raise ReadError(name, "the MHTML file nests its parts too deeply to be read") from None
    for part in every:
        if part.get_content_type() != "text/html":
            continue
        page = part.get_payload(decode=True)
        if not isinstance(page, bytes) or not page.strip():
            continue
        charset = part.get_content_charset()
        if charset and not _declares_charset(page):
            # the MIME header names the page's encoding; the HTML reader looks for it in the page
            page = f'<meta charset="{charset}">'.encode("ascii", "replace") + page
        return replace(html.read(name, page), reader="mhtml")
    raise ReadError(name, "an MHTML file without a web page in it")


def _declares_charset(page: bytes) -> bool:
    return b"charset" in page[:4096].lower()
