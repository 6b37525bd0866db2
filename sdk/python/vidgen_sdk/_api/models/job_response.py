from enum import StrEnum

class JobResponse(StrEnum):
    ASYNC = "async"
    AUTO = "auto"
    IMMEDIATE = "immediate"

    def __str__(self) -> str:
        return str(self.value)
