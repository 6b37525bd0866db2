from enum import StrEnum

class CreateBatchV1JobsBatchPostResponse200ResultsItemStatus(StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
