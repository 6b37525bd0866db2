from enum import StrEnum

class OverlayElementPastEnd(StrEnum):
    CUT = "cut"
    FREEZE = "freeze"
    LOOP = "loop"

    def __str__(self) -> str:
        return str(self.value)
