from enum import StrEnum

class OutputFormat(StrEnum):
    AVI = "avi"
    GIF = "gif"
    MOV = "mov"
    MP4 = "mp4"
    WEBM = "webm"

    def __str__(self) -> str:
        return str(self.value)
