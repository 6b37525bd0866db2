from enum import StrEnum

class PreviewV1PreviewPostFormat(StrEnum):
    JPEG = "jpeg"
    PNG = "png"

    def __str__(self) -> str:
        return str(self.value)
