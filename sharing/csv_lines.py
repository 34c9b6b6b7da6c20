"""The physical lines of a CSV file as csv.reader takes them, with each row's raw bytes kept.

A row may span several lines (a quoted cell holding a line break), so the bytes of the
row being read are collected until the reader hands the row over; a row that grows past
the limit is cut short, and a line that is not UTF-8 marks its row for rejection.
"""

from typing import BinaryIO

_BOM = b"\xef\xbb\xbf"


class RecordTooLong(Exception):
    """Raised through csv.reader when a row grows past the limit; the caller rejects the row."""


class CsvLines:
    """An iterator of text lines for csv.reader over a binary stream; `take` hands over the raw
    bytes of the row just read. Undecodable bytes reach the parser as lone surrogates only.
    """

    def __init__(self, stream: BinaryIO, max_line: int) -> None:
        self._readline = stream.readline
        self._max = max_line
        self.number = 0
        self._raw: list[bytes] = []
        self._size = 0
        self._not_utf8: str | None = None

    def __iter__(self) -> "CsvLines":
        return self

    def __next__(self) -> str:
        line = self._readline(self._max + 2)
        if not line:
            raise StopIteration
        self.number += 1
        if self.number == 1 and line.startswith(_BOM):
            line = line[3:]
        before = self._size
        self._raw.append(line)
        self._size = size = before + len(line)
        if size > self._max:  # the row may be too long: look closer, off the common path
            self._check_length(line, size)
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as bad:
            if self._not_utf8 is None:
                where = f"byte 0x{line[bad.start]:02x} at offset {before + bad.start}"
                self._not_utf8 = f"the row is not valid UTF-8 ({where})"
            return line.decode("utf-8", "surrogateescape")

    def _check_length(self, line: bytes, size: int) -> None:
        """RecordTooLong when the row, without its final line ending, passes the limit; the
        rest of an over-long line is skipped."""
        ending = 2 if line.endswith(b"\r\n") else 1 if line.endswith(b"\n") else 0
        if size - ending > self._max:
            if not ending:
                limit = self._max + 2
                while (rest := self._readline(limit)) and not rest.endswith(b"\n"):
                    pass
            raise RecordTooLong

    def take(self) -> tuple[bytes, str | None]:
        """The raw bytes of the row just read (without its final line ending), and why it is
        not UTF-8 when it is not; the next row starts empty."""
        raw = b"".join(self._raw)
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        not_utf8 = self._not_utf8
        self._raw, self._size, self._not_utf8 = [], 0, None
        return raw, not_utf8
