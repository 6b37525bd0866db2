from enum import StrEnum

class TextElementFit(StrEnum):
    AUTO = "auto"
    CONTAIN = "contain"
    COVER = "cover"
    FILL = "fill"
    STRETCH = "stretch"

    def __str__(self) -> str:
        return str(self.value)
