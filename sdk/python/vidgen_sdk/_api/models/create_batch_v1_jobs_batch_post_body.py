from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.job import Job
  from ..models.template_job import TemplateJob





T = TypeVar("T", bound="CreateBatchV1JobsBatchPostBody")



@_attrs_define
class CreateBatchV1JobsBatchPostBody:
    """ 
        Attributes:
            jobs (list[Job | TemplateJob]): at most VIDGEN_MAX_BATCH jobs (1,000 by default)
     """

    jobs: list[Job | TemplateJob]





    def to_dict(self) -> dict[str, Any]:
        from ..models.job import Job # noqa: PLC0415
        from ..models.template_job import TemplateJob # noqa: PLC0415
        jobs = []
        for jobs_item_data in self.jobs:
            jobs_item: dict[str, Any]
            if isinstance(jobs_item_data, Job):
                jobs_item = jobs_item_data.to_dict()
            else:
                jobs_item = jobs_item_data.to_dict()

            jobs.append(jobs_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "jobs": jobs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job import Job # noqa: PLC0415
        from ..models.template_job import TemplateJob # noqa: PLC0415
        d = dict(src_dict)
        jobs = []
        _jobs = d.pop("jobs")
        for jobs_item_data in (_jobs):
            def _parse_jobs_item(data: object) -> Job | TemplateJob:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    jobs_item_type_0 = Job.from_dict(data)



                    return jobs_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                jobs_item_type_1 = TemplateJob.from_dict(data)



                return jobs_item_type_1

            jobs_item = _parse_jobs_item(jobs_item_data)

            jobs.append(jobs_item)


        create_batch_v1_jobs_batch_post_body = cls(
            jobs=jobs,
        )

        return create_batch_v1_jobs_batch_post_body

