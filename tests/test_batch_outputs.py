"""What the batch's main process writes while the workers check, made the fast way and still
the same: results.jsonl.gz packed line by line as the results come is byte for byte the whole
file packed at the end."""
from __future__ import annotations

import gzip
import io
import shutil

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.batch import outputs
from checker.batch.outputs import _GZIP_LEVEL, _Packed

_LINES = st.lists(st.one_of(st.text(alphabet="{}\":,0123456789abc 机关报告\n", max_size=300).map(str.encode),
                            st.binary(max_size=2000)), max_size=40)


def _packed_at_once(data: bytes) -> bytes:
    """How the results were packed when the batch ended (the reference)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=_GZIP_LEVEL) as packed:
        shutil.copyfileobj(io.BytesIO(data), packed, 1 << 20)
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(_LINES, st.sampled_from([1, 64, 1 << 20]))
def test_results_packed_as_they_come_are_the_file_packed_at_once(tmp_path_factory, lines: list[bytes],
                                                                   gather: int) -> None:
    path = tmp_path_factory.mktemp("packed") / "results.jsonl.gz"
    original = outputs._PACK_BYTES
    outputs._PACK_BYTES = gather  # packed a line at a time, a few lines at a time, or at the end
    try:
        packed = _Packed(path)
        for line in lines:
            packed.write(line)
        packed.close()
        packed.close()  # closing again (an interrupted batch closes what finish closed) is nothing
    finally:
        outputs._PACK_BYTES = original
    assert path.read_bytes() == _packed_at_once(b"".join(lines))

