"""The bulletin's AES-256-GCM layer, streamed: plaintext pieces in, b64url text out, and back.

One AES-GCM message (nonce from the header, one tag at the end), processed in chunks so
that neither the base64url text nor a second copy of the plaintext is ever held whole.
"""

from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pybase64
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.algorithms import AES
from cryptography.hazmat.primitives.ciphers.modes import GCM

from sharing.errors import BulletinRejected

TAG = 16
_CHUNK = 3 * 2**20  # ciphertext bytes per written chunk: a multiple of 3, so no padding
_TEXT_CHUNK = 4 * 2**20  # base64url characters per decoded chunk: a multiple of 4


def encrypt_to_b64url(
    dek: bytes, nonce: bytes, aad: bytes, pieces: Iterable[bytes], out: BinaryIO
) -> None:
    """Write b64url(AES-256-GCM(dek, nonce, aad, concatenated pieces) || tag) to `out`."""
    encryptor = Cipher(AES(dek), GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    pending = bytearray()
    for piece in pieces:
        ciphertext = encryptor.update(piece)
        if not pending and len(ciphertext) % 3 == 0:
            out.write(_b64url(ciphertext))  # aligned: no carry, no copy
            continue
        pending += ciphertext
        if len(pending) >= _CHUNK:
            whole = len(pending) // 3 * 3
            with memoryview(pending) as view:
                out.write(_b64url(view[:whole]))
            del pending[:whole]
    pending += encryptor.finalize() + encryptor.tag
    out.write(_b64url(pending).rstrip(b"="))


def decrypt_b64url(
    dek: bytes, nonce: bytes, aad: bytes, data: bytes, start: int, end: int
) -> bytearray:
    """The plaintext of the b64url ciphertext at data[start:end]; BulletinRejected if bad."""
    total = _decoded_length(end - start)
    if total < TAG:
        raise BulletinRejected("malformed: the ciphertext is shorter than its tag")
    size = total - TAG
    decryptor = Cipher(AES(dek), GCM(nonce)).decryptor()
    decryptor.authenticate_additional_data(aad)
    plaintext = bytearray(size + TAG)
    tag = bytearray()
    position = 0
    with memoryview(plaintext) as view:
        for raw in _b64url_chunks(data, start, end):
            take = max(0, min(len(raw), size - position))
            if take:
                position += decryptor.update_into(memoryview(raw)[:take], view[position:])
            tag += raw[take:]
    try:
        decryptor.finalize_with_tag(bytes(tag))
    except InvalidTag:
        raise BulletinRejected(
            "tampered: the header, keys or ciphertext do not authenticate"
        ) from None
    del plaintext[size:]
    return plaintext


def _b64url(data: bytes | bytearray | memoryview) -> bytes:
    return pybase64.b64encode(data, altchars=b"-_")


def _decoded_length(chars: int) -> int:
    if chars % 4 == 1:
        raise BulletinRejected("malformed: ciphertext is not base64url")
    return chars // 4 * 3 + max(0, chars % 4 - 1)


def _b64url_chunks(data: bytes, start: int, end: int) -> Iterator[bytes]:
    """Decode strict, canonical, unpadded base64url in chunks."""
    for offset in range(start, end, _TEXT_CHUNK):
        stop = min(offset + _TEXT_CHUNK, end)
        text = data[offset:stop]
        if b"+" in text or b"/" in text or b"=" in text:
            raise BulletinRejected("malformed: ciphertext is not base64url")
        if stop == end:
            text += b"=" * (-(stop - offset) % 4)
        try:
            raw = pybase64.b64decode(text, altchars=b"-_", validate=True)
        except ValueError:
            raise BulletinRejected("malformed: ciphertext is not base64url") from None
        tail = (stop - offset) % 4
        last = _b64url(raw[-(tail - 1) :]).rstrip(b"=") if tail else b""
        if stop == end and last != data[stop - tail : stop]:
            raise BulletinRejected("malformed: ciphertext is not canonical base64url")
        yield raw
