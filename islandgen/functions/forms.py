"""An HTML form post (urlencoded or multipart) -> its fields by name (stdlib only).

Multipart bodies are parsed by the standard library's `email` parser: a
form-data body is a MIME message once its Content-Type header is put in
front of it. Each field keeps every value it was sent with, in order, so a
`list[...]` parameter can take repeated fields (checkboxes, multi-selects).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from .request import UploadedFile

if TYPE_CHECKING:
    from email.message import Message

FormValue = str | UploadedFile
Fields = dict[str, list[FormValue]]


class FormError(ValueError):
    """A form body that cannot be read."""


def parse_urlencoded(body: bytes) -> Fields:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                          errors="strict", max_num_fields=10_000)
    except (UnicodeDecodeError, ValueError) as error:
        raise FormError(f"the form body cannot be read: {error}") from None
    fields: Fields = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def parse_multipart(content_type: str, body: bytes) -> Fields:
    if "boundary=" not in content_type:
        raise FormError("a multipart body needs a boundary in its Content-Type")
    from email.parser import BytesParser  # imported on the first upload, not by every build
    from email.policy import HTTP

    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise FormError("the multipart body is malformed")
    fields: Fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_content_disposition() != "form-data":
            raise FormError("every part of a form needs Content-Disposition: form-data; name=...")
        fields.setdefault(name, []).append(_part_value(part))
    return fields


def _part_value(part: Message) -> FormValue:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        raise FormError("a form part cannot be nested multipart")
    filename = part.get_filename()
    if filename == "" and not data:
        return ""  # a file input left empty: no file, like an empty text field
    if filename is not None:
        return UploadedFile(filename, part.get_content_type(), data)
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise FormError("a form field is not valid text") from None
