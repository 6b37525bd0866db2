from enum import StrEnum

class RenditionFormat(StrEnum):
    AVI = "avi"
    GIF = "gif"
    HLS = "hls"
    MOV = "mov"
    MP4 = "mp4"
    WEBM = "webm"

    def __str__(self) -> str:
        return str(self.value)
