"""Hostile files, built at test time (never committed): PDFs written object by object, zip
archives whose parts inflate far beyond their size, deflate streams of a gigabyte made in
milliseconds."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Sequence

# --------------------------------------------------------------------------- deflate


def _repeated_deflate(chunk: bytes, times: int, raw: bool) -> bytes:
    """Deflate data of ``chunk`` repeated ``times`` times without compressing it all: after a full
    flush the compressor starts afresh, so each further copy of the chunk compresses to the same
    bytes, which are repeated."""
    compress = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    first = compress.compress(chunk) + compress.flush(zlib.Z_FULL_FLUSH)
    again = compress.compress(chunk) + compress.flush(zlib.Z_FULL_FLUSH)
    # the end: an empty final block (the compressor's own would carry its checksum)
    return first + again * (times - 1) + b"\x03\x00"


def zeros_flate(size: int, chunk: int = 1 << 20) -> bytes:
    """A zlib stream (PDF FlateDecode) of ``size`` zero bytes, ``size`` a multiple of ``chunk``;
    the checksum of zeros needs no pass over them (Adler-32: a stays 1, b counts the bytes)."""
    body = _repeated_deflate(bytes(chunk), size // chunk, raw=True)
    adler = ((size % 65521) << 16) | 1
    return b"\x78\xda" + body + struct.pack(">I", adler)


# --------------------------------------------------------------------------- PDF


def pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of these object bodies, numbered from 1 (1 is the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def one_page_pdf(content: bytes, entries: bytes = b"", resources: bytes = b"<< >>",
                 more: Sequence[bytes] = ()) -> bytes:
    """One A4 page whose content stream (object 4) is ``content``; ``more`` objects follow from 5."""
    return pdf([_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources %s >>"
                % resources, stream(content, entries), *more])


def content_bomb_pdf(size: int) -> bytes:
    """A page whose content stream decodes to ``size`` bytes (zeros: blank space to PDF syntax)."""
    return one_page_pdf(zeros_flate(size), b" /Filter /FlateDecode")


def font_bomb_pdf(size: int) -> bytes:
    """A page of text in an embedded TrueType font whose program decodes to ``size`` bytes."""
    font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 65 /LastChar 65 /Widths [500] "
            b"/FontDescriptor 6 0 R >>")
    descriptor = (b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
                  b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>")
    program = stream(zeros_flate(size), b" /Length1 %d /Filter /FlateDecode" % size)
    return one_page_pdf(b"BT /F1 12 Tf 72 700 Td (A) Tj ET", resources=b"<< /Font << /F1 5 0 R >> >>",
                        more=[font, descriptor, program])


def nested_forms_pdf(levels: int = 12, fan: int = 10) -> bytes:
    """A page drawing a form that draws the next form ``fan`` times, ``levels`` deep: a few
    kilobytes that place fan ** levels objects."""
    forms = []
    for level in range(levels):
        number = 5 + level
        if level < levels - 1:
            forms.append(stream(b"/F Do\n" * fan, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                                  b"/Resources << /XObject << /F %d 0 R >> >>" % (number + 1)))
        else:
            forms.append(stream(b"0 0 m 1 1 l S\n", b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]"))
    return one_page_pdf(b"/F Do\n", resources=b"<< /XObject << /F 5 0 R >> >>", more=forms)


def many_pages_pdf(pages: int) -> bytes:
    """``pages`` tiny pages sharing one content stream and one resource dictionary."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 20 20] /Contents 3 0 R /Resources 4 0 R >>"
    return pdf([_CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                stream(b"BT /F1 8 Tf 2 2 Td (1) Tj ET"),
                b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>",
                *([page] * pages)])


def busy_page_pdf(objects: int) -> bytes:
    """One page drawing ``objects`` separate tiny lines."""
    return one_page_pdf(b"0 0 m 1 1 l S\n" * objects)


# --------------------------------------------------------------------------- zip archives

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def zip_archive(entries: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of raw entries: (name, deflated data, declared size, declared CRC-32), written as
    given, so an entry can declare what it is not."""
    out = io.BytesIO()
    central = []
    for name, data, size, crc in entries:
        encoded = name.encode()
        central.append(_CENTRAL.pack(0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded),
                                     0, 0, 0, 0, 0, out.tell()) + encoded)
        out.write(_LOCAL.pack(0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0) + encoded)
        out.write(data)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory + _END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


def deflated(data: bytes) -> tuple[bytes, int, int]:
    compress = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compress.compress(data) + compress.flush(), len(data), zlib.crc32(data)


def word_parts(document_xml: bytes) -> list[tuple[str, bytes, int, int]]:
    """The parts of a minimal Word document around ``document_xml``."""
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
             b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
             b'"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
             b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
            b'.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            b'</Relationships>')
    return [("[Content_Types].xml", *deflated(types)), ("_rels/.rels", *deflated(rels)),
            ("word/document.xml", *deflated(document_xml))]


def word_document(paragraphs: Sequence[str], doctype: str = "") -> bytes:
    """document.xml with these paragraphs (markup inside them is kept as written)."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<w:document xmlns:w='
            f'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body>'
            f'</w:document>').encode()


def many_parts_bomb(parts: int, size: int) -> bytes:
    """A Word file with ``parts`` parts of ``size`` zero bytes each, declared honestly: one
    compressed copy and one checksum serve them all."""
    data = _repeated_deflate(bytes(1 << 20), size >> 20, raw=True)
    crc = zlib.crc32(bytes(size))
    entries = word_parts(word_document(["一、总体情况"]))
    entries += [(f"word/media/image{i}.bin", data, size, crc) for i in range(parts)]
    return zip_archive(entries)


def lying_part_bomb(size: int, declared: int = 4096) -> bytes:
    """A Word file whose document.xml declares ``declared`` bytes and inflates to ``size``."""
    entries = word_parts(word_document(["一、总体情况"]))[:2]
    data = _repeated_deflate(b" " * (1 << 20), size >> 20, raw=True)
    entries.append(("word/document.xml", data, declared, zlib.crc32(b" " * declared)))
    return zip_archive(entries)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
