from enum import StrEnum

class CompatCreateOutputFormat(StrEnum):
    AVI = "avi"
    MOV = "mov"
    MP4 = "mp4"

    def __str__(self) -> str:
        return str(self.value)
