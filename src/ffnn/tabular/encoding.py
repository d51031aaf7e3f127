"""A data file's bytes: refused early where they are not UTF-8 text, with what they are instead
(UTF-16, a compressed file, an archive, a Parquet file) or where the first byte that is not
UTF-8 stands."""

from ..exceptions import DataError


def check_text(path, chunk=2**20):
    """Refuse binary files early; the size on disk is not trusted (a sparse file may claim a
    gigabyte it does not hold), so the check reads until it finds a NUL byte or the end."""
    offset = 0
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                return
            position = block.find(b"\x00")
            if position >= 0 and offset == 0:
                # what Excel saves as "Unicode text" (its NUL bytes are half of each letter), or
                # a compressed file, an archive or a Parquet file
                _refuse_start(path, block)
            if position >= 0:
                raise DataError(f"{path}: holds binary data (a NUL byte at offset "
                                f"{offset + position}); not a CSV text file")
            offset += len(block)


def check_start(path):
    """Refuse a file whose first bytes say that it is UTF-16 text, compressed, an archive or a
    Parquet file, as `check_text` does, without reading further: for many files, or large."""
    with open(path, "rb") as handle:
        _refuse_start(path, handle.read(8))


def _refuse_start(path, start):
    """DataError where a file's first bytes `start` are those of UTF-16 text, a compressed
    file, an archive or a Parquet file."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{path}: is UTF-16 text, not UTF-8; save it as UTF-8 (CSV UTF-8 in "
                        "Excel)")
    if _packed(start):
        raise DataError(f"{path}: {_packed(start)}")


# The first bytes of the files most often given for a CSV file that are not one
_PACKED = {b"\x1f\x8b": "is gzip-compressed; decompress it first (gunzip -k FILE)",
           b"BZh": "is bzip2-compressed; decompress it first (bunzip2 -k FILE)",
           b"\xfd7zXZ\x00": "is xz-compressed; decompress it first (unxz -k FILE)",
           b"\x28\xb5\x2f\xfd": "is zstd-compressed; decompress it first (unzstd FILE)",
           b"PK\x03\x04": "is a zip archive (or an Excel workbook); extract the CSV file from "
                          "it, or save the sheet as CSV UTF-8",
           b"PAR1": "is a Parquet file; give it a .parquet suffix to read it as one"}


def _packed(block):
    """What to say of a file whose first bytes are those of a compressed file, an archive or a
    Parquet file (a name that does not say so), or None."""
    return next((said for magic, said in _PACKED.items() if block.startswith(magic)), None)


def not_utf8(path, chunk=2**20):
    """The DataError of a file that is not UTF-8 text, naming its first such byte and line."""
    bad = _first_bad_byte(path, chunk)
    if bad is None or bad[2] is None:
        return DataError(f"{path}: is not UTF-8 text; save it as UTF-8")
    line, offset, byte = bad
    return DataError(f"{path}: line {line} is not UTF-8 text (byte 0x{byte:02x} at offset "
                     f"{offset}); save the file as UTF-8")


def first_not_utf8(paths, chunk=2**20):
    """The DataError (`not_utf8`) of the first of `paths` that is not UTF-8 text, or None."""
    for path in paths:
        if _first_bad_byte(path, chunk, final=True) is not None:
            return not_utf8(path, chunk)
    return None


def _first_bad_byte(path, chunk, final=False):
    """(line, offset, byte) of the first byte of the file at `path` that is not UTF-8 text, or
    None where there is none; with `final`, a sequence the file ends in the middle of counts as
    one too, of byte None."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return (line + block[:error.start].count(b"\n"), offset + error.start,
                        block[error.start])
            line += block.count(b"\n")
            offset += len(block)
    try:
        decoder.decode(b"", final=final)
    except UnicodeDecodeError:
        return line, offset, None
    return None
