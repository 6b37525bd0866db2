from enum import StrEnum

class TransitionType(StrEnum):
    CIRCLE_CLOSE = "circle-close"
    CIRCLE_OPEN = "circle-open"
    DISSOLVE = "dissolve"
    FADE = "fade"
    FADE_BLACK = "fade-black"
    FADE_WHITE = "fade-white"
    PIXELIZE = "pixelize"
    RADIAL = "radial"
    SLIDE_DOWN = "slide-down"
    SLIDE_LEFT = "slide-left"
    SLIDE_RIGHT = "slide-right"
    SLIDE_UP = "slide-up"
    SMOOTH_LEFT = "smooth-left"
    SMOOTH_RIGHT = "smooth-right"
    WIPE_DOWN = "wipe-down"
    WIPE_LEFT = "wipe-left"
    WIPE_RIGHT = "wipe-right"
    WIPE_UP = "wipe-up"
    ZOOM_IN = "zoom-in"

    def __str__(self) -> str:
        return str(self.value)
