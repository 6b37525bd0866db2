from enum import StrEnum

class MotionPresetType(StrEnum):
    KEN_BURNS = "ken-burns"
    PAN_DOWN = "pan-down"
    PAN_LEFT = "pan-left"
    PAN_RIGHT = "pan-right"
    PAN_UP = "pan-up"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"

    def __str__(self) -> str:
        return str(self.value)
