"""Whatever a web page, a saved page or a Word file holds, a reader returns a Document or raises
ReadError with a reason — never another exception — and the extractor reads what it returns.
Pages are built at random from the pieces saved government pages are made of (banner images,
navigation, tables with spans, titles, dates, scripts), in any order and nesting."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.errors import ReadError
from checker.extract import extract
from checker.formats import get_format
from checker.readers import docx, guard, html, mhtml

TEXTS = st.sampled_from([
    "", " ", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "某某县2024年政府信息公开工作年度报告", "发布时间：2025-01-20", "规章", "行政许可", "0", "12",
    "3.5", "/", "—", "本年度未收取信息处理费。", "首页", "特向社会公布《某某县2024年政府信息公开工作年度报告》",
    "2025年1月10日", "某某县人民政府", "&nbsp;", "&lt;", "<", ">", "&", "\x00", "\u3000",
])
ATTRIBUTES = st.sampled_from([
    "", ' class="content"', ' id="zoom"', ' class="title"', ' style="display:none"', " hidden",
    ' rowspan="2"', ' colspan="3"', ' rowspan="0"', ' colspan="-1"', ' rowspan="x"', ' width="20"',
    ' src="banner.jpg"', ' alt="网站标志"', ' name="PubDate" content="2025-01-20 10:00"',
    ' name="ArticleTitle" content="某某县2024年政府信息公开工作年度报告"', ' property="og:title" content=""',
])
TAGS = st.sampled_from(["div", "p", "span", "table", "tr", "td", "th", "img", "br", "h1", "h2", "a",
                        "nav", "header", "footer", "aside", "ul", "li", "script", "style", "title",
                        "meta", "strong", "caption", "thead", "tbody", "article", "section"])


def _element(children: list[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, attrs, text, close: f"<{tag}{attrs}>{text}{''.join(children)}"
                     + (f"</{tag}>" if close else ""), TAGS, ATTRIBUTES, TEXTS, st.booleans())


FRAGMENT = st.recursive(TEXTS, lambda inner: st.lists(inner, max_size=4).flatmap(_element),
                        max_leaves=40)
PAGE = st.lists(FRAGMENT, min_size=1, max_size=8).map(
    lambda parts: "<html><head><title>某某县2024年政府信息公开工作年度报告_年报</title></head><body>"
    + "".join(parts) + "</body></html>")


def _reads_or_refuses(read, name: str, data: bytes) -> None:
    try:
        document = read(name, data)
    except ReadError as error:
        assert error.reason and "internal error" not in error.reason, error.reason
        return
    extract(document, get_format())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=PAGE, encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_any_page_reads_or_is_refused_with_a_reason(page, encoding):
    _reads_or_refuses(html.read, "page.html", page.encode(encoding, "replace"))


@settings(max_examples=15, deadline=None)
@given(page=PAGE, charset=st.sampled_from(["utf-8", "gb2312", "nonsense-charset", ""]),
       transfer=st.sampled_from(["base64", "quoted-printable", "8bit", "x-unknown"]))
def test_any_saved_page_reads_or_is_refused_with_a_reason(page, charset, transfer):
    import base64
    body = page.encode("utf-8")
    payload = base64.encodebytes(body) if transfer == "base64" else body
    header = f"text/html; charset={charset}" if charset else "text/html"
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
            + f"Content-Type: {header}\r\nContent-Transfer-Encoding: {transfer}\r\n\r\n".encode()
            + payload + b"\r\n--b--\r\n")
    _reads_or_refuses(mhtml.read, "page.mht", data)


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=300), cut=st.integers(0, 4000))
def test_any_bytes_or_cut_word_file_read_or_are_refused(data, cut):
    from readers_support import make_docx, gold

    _reads_or_refuses(docx.read, "junk.docx", data)
    whole = _WORD.get("file") or _WORD.setdefault("file", make_docx(gold("pingtan-2024")))
    _reads_or_refuses(docx.read, "cut.docx", whole[:cut] + data)


_WORD: dict[str, bytes] = {}


def test_a_word_file_with_a_damaged_body_is_refused_with_a_reason():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(ReadError):
        docx.read("damaged.docx", archive.getvalue())


def test_a_defect_of_a_reader_becomes_the_files_reason():
    @guard.never_raises("the test file")
    def read(name: str, data: bytes):
        return data.missing  # type: ignore[attr-defined]

    with pytest.raises(ReadError) as error:
        read("x.bin", b"")
    assert error.value.reason.startswith("the test file could not be read: internal error of the reader "
                                         "(AttributeError:")
