from enum import StrEnum

class KenBurnsPointFocusItemType1Type2(StrEnum):
    BOTTOM = "bottom"
    CENTER = "center"
    CENTRE = "centre"
    LEFT = "left"
    MIDDLE = "middle"
    RIGHT = "right"
    TOP = "top"

    def __str__(self) -> str:
        return str(self.value)
