from enum import StrEnum

class EntranceType(StrEnum):
    FADE = "fade"
    POP = "pop"
    SLIDE_DOWN = "slide-down"
    SLIDE_LEFT = "slide-left"
    SLIDE_RIGHT = "slide-right"
    SLIDE_UP = "slide-up"
    TYPEWRITER = "typewriter"
    WIPE_LEFT = "wipe-left"
    WIPE_RIGHT = "wipe-right"
    WORD_BY_WORD = "word-by-word"
    ZOOM = "zoom"

    def __str__(self) -> str:
        return str(self.value)
