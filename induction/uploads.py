"""The first of Django's upload handlers (settings.FILE_UPLOAD_HANDLERS): it passes on at most
one byte more than the largest picture the library takes, and drops the rest of the file
before the memory or temporary-file handlers see it. A 2 GB upload is read from the network
but never written to disk whole; the one byte over is what lets induction/pictures.py say the
file is too large. The reverse proxy should cap request bodies too (see README)."""

from django.core.files.uploadhandler import FileUploadHandler

from .pictures import MAX_PICTURE_BYTES


class TruncatingUploadHandler(FileUploadHandler):
    limit = MAX_PICTURE_BYTES + 1

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.passed_on = 0

    def receive_data_chunk(self, raw_data, start):
        room = self.limit - self.passed_on
        if room <= 0:
            return None  # the rest of this file goes no further
        chunk = raw_data[:room]
        self.passed_on += len(chunk)
        return chunk

    def file_complete(self, file_size):
        return None  # the next handler makes the file from what was passed on
