from enum import StrEnum

class CaptionsElementFontWeight(StrEnum):
    BOLD = "bold"
    NORMAL = "normal"

    def __str__(self) -> str:
        return str(self.value)
