"""Uploads are cut one byte past the largest picture before they reach memory or disk
(induction/uploads.py), so a huge file is never stored whole, and the picture checks still
see that it was too large."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from induction.pictures import MAX_PICTURE_BYTES


def uploaded(size):
    request = RequestFactory().post(
        "/upload/", {"file": SimpleUploadedFile("big.png", b"x" * size), "alt_text": "Kept"}
    )
    return request.FILES["file"], request.POST


def test_a_huge_upload_reaches_the_view_cut_one_byte_past_the_limit():
    file, fields = uploaded(3 * MAX_PICTURE_BYTES)
    assert file.size == MAX_PICTURE_BYTES + 1
    assert len(file.read()) == MAX_PICTURE_BYTES + 1
    assert fields["alt_text"] == "Kept"  # the other fields after the file are still read


def test_an_upload_within_the_limit_arrives_whole():
    file, _ = uploaded(MAX_PICTURE_BYTES)
    assert file.size == MAX_PICTURE_BYTES
    assert file.read() == b"x" * MAX_PICTURE_BYTES
