from enum import StrEnum

class ImageElementFlipType0(StrEnum):
    BOTH = "both"
    HORIZONTAL = "horizontal"
    VERTICAL = "vertical"

    def __str__(self) -> str:
        return str(self.value)
