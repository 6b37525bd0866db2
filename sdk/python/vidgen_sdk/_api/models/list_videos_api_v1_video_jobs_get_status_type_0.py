from enum import StrEnum

class ListVideosApiV1VideoJobsGetStatusType0(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    PENDING = "pending"
    PROCESSING = "processing"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
