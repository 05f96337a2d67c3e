"""Opening uploaded scans and photos (PNG, JPEG) without trusting their headers."""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageOps

from .errors import MAX_BYTES, MAX_PIXELS, RedactionError

FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def open_image(data: bytes, content_type: str) -> Image.Image:
    """The first frame, turned as its EXIF orientation says (the way a viewer shows it), in RGB on white."""
    if len(data) > MAX_BYTES:
        raise RedactionError("redaction_too_large", details={"bytes": len(data)})
    try:
        with warnings.catch_warnings():
            # Our own pixel cap decides, before anything is decoded; Pillow's warning would only repeat it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[FORMATS[content_type]])
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise RedactionError(
                    "redaction_too_large", details={"pixels": width * height, "max_pixels": MAX_PIXELS}
                )
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except RedactionError:
        raise
    except Image.DecompressionBombError as error:
        raise RedactionError("redaction_too_large") from error
    except (OSError, ValueError, SyntaxError, struct.error) as error:
        raise RedactionError("redaction_unreadable") from error
    if width < 1 or height < 1:
        raise RedactionError("redaction_empty")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # A viewer shows transparent pixels on white: the released page shows what the original showed.
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", image.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        canvas.info = dict(image.info)
        return canvas
    return image.convert("RGB")
