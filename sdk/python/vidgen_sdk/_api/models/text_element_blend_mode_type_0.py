from enum import StrEnum

class TextElementBlendModeType0(StrEnum):
    ADD = "add"
    DARKEN = "darken"
    LIGHTEN = "lighten"
    MULTIPLY = "multiply"
    NORMAL = "normal"
    OVERLAY = "overlay"
    SCREEN = "screen"

    def __str__(self) -> str:
        return str(self.value)
