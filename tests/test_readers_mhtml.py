"""MHTML: a web page saved as one MIME file (by a browser, or by Word as "single file web
page"): the page inside is read as the HTML page it is, whatever encoding the file uses."""
from __future__ import annotations

import base64
import quopri
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart

import pytest
from readers_support import cell_mismatches, corpus_bytes, gold

from checker.errors import ReadError
from checker.extract import extract
from checker.formats import DEFAULT_FORMAT, get_format
from checker.readers import read_document

PAGE = "pingtan-2024.html"


def _mhtml(page: str, charset: str, transfer: str) -> bytes:
    message = MIMEMultipart("related")
    message["Subject"] = "年报"
    message["Snapshot-Content-Location"] = "http://example.gov.cn/xxgk/ndbg.html"
    part = MIMENonMultipart("text", "html", charset=charset)
    part["Content-Transfer-Encoding"] = transfer
    encoded = page.encode(charset)
    body = base64.encodebytes(encoded) if transfer == "base64" else quopri.encodestring(encoded)
    part.set_payload(body.decode("ascii"))
    message.attach(part)
    message.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "png"))
    return message.as_bytes()


@pytest.mark.parametrize("charset, transfer", [("utf-8", "quoted-printable"), ("gb18030", "base64")])
@pytest.mark.parametrize("name", ["年报.mht", "年报.html"])  # the content decides, not the name
def test_a_saved_page_reads_every_gold_cell(charset, transfer, name):
    page = corpus_bytes(PAGE).decode("utf-8")
    document = read_document(name, _mhtml(page, charset, transfer))
    assert document.reader == "mhtml"
    assert cell_mismatches(extract(document, get_format(DEFAULT_FORMAT)), gold(PAGE)) == []


def test_an_mhtml_file_without_a_page_is_a_read_error():
    message = MIMEMultipart("related")
    message.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "png"))
    with pytest.raises(ReadError) as error:
        read_document("空.mht", message.as_bytes())
    assert error.value.reason == "an MHTML file without a web page in it"


def test_a_saved_page_opening_with_its_banner_image_reads():
    page = corpus_bytes(PAGE).decode("utf-8").replace(
        "<body>", '<body><div class="banner"><img src="banner.png"></div>', 1)
    document = read_document("年报.mht", _mhtml(page, "utf-8", "base64"))
    assert cell_mismatches(extract(document, get_format(DEFAULT_FORMAT)), gold(PAGE)) == []
