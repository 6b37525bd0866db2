from enum import StrEnum

class VideoElementPastEnd(StrEnum):
    CUT = "cut"
    FREEZE = "freeze"
    LOOP = "loop"

    def __str__(self) -> str:
        return str(self.value)
