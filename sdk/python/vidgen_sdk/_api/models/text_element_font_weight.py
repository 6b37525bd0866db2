from enum import StrEnum

class TextElementFontWeight(StrEnum):
    BOLD = "bold"
    NORMAL = "normal"

    def __str__(self) -> str:
        return str(self.value)
