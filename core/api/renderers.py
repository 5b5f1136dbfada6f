"""The API's JSON renderer: DRF's, with timestamps written by `iso_timestamp`.

DRF's `DATETIME_FORMAT` is `None` in the settings, so serializer fields hand their datetimes
over untouched and every one of them is written here, the same way as the bodies built by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from core.timestamps import iso_timestamp


class KomboJSONEncoder(JSONEncoder):
    def default(self, obj: Any) -> Any:
        if isinstance(obj, datetime):
            return iso_timestamp(obj)
        return super().default(obj)


class KomboJSONRenderer(JSONRenderer):
    encoder_class = KomboJSONEncoder
