""" Contains all the data models used in inputs/outputs """

from .audio_element import AudioElement
from .audio_element_volume_type_1_item import AudioElementVolumeType1Item
from .batch_problem import BatchProblem
from .border import Border
from .cancel_job_v1_jobs_job_id_delete_response_cancel_job_v1_jobs_job_id_delete import CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete
from .cancel_video_api_v1_video_job_job_id_delete_response_cancel_video_api_v1_video_job_job_id_delete import CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete
from .caption_word import CaptionWord
from .captions_element import CaptionsElement
from .captions_element_align import CaptionsElementAlign
from .captions_element_blend_mode_type_0 import CaptionsElementBlendModeType0
from .captions_element_fit import CaptionsElementFit
from .captions_element_flip_type_0 import CaptionsElementFlipType0
from .captions_element_font_weight import CaptionsElementFontWeight
from .captions_element_height_type_0_type_1_item import CaptionsElementHeightType0Type1Item
from .captions_element_opacity_type_1_item import CaptionsElementOpacityType1Item
from .captions_element_rotation_type_0_type_1_item import CaptionsElementRotationType0Type1Item
from .captions_element_scale_type_0_type_1_item import CaptionsElementScaleType0Type1Item
from .captions_element_vertical_align import CaptionsElementVerticalAlign
from .captions_element_width_type_0_type_1_item import CaptionsElementWidthType0Type1Item
from .captions_element_x_type_1_item import CaptionsElementXType1Item
from .captions_element_y_type_1_item import CaptionsElementYType1Item
from .chroma_key import ChromaKey
from .compat_create import CompatCreate
from .compat_create_output_format import CompatCreateOutputFormat
from .compat_create_response import CompatCreateResponse
from .compat_element import CompatElement
from .compat_element_type import CompatElementType
from .create_batch_v1_jobs_batch_post_body import CreateBatchV1JobsBatchPostBody
from .create_batch_v1_jobs_batch_post_response_200 import CreateBatchV1JobsBatchPostResponse200
from .create_batch_v1_jobs_batch_post_response_200_results_item import CreateBatchV1JobsBatchPostResponse200ResultsItem
from .create_batch_v1_jobs_batch_post_response_200_results_item_status import CreateBatchV1JobsBatchPostResponse200ResultsItemStatus
from .crop import Crop
from .cue import Cue
from .delete_template_v1_templates_template_id_delete_response_delete_template_v1_templates_template_id_delete import DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete
from .duck import Duck
from .entrance import Entrance
from .entrance_type import EntranceType
from .filters import Filters
from .get_job_v1_jobs_job_id_get_response_get_job_v1_jobs_job_id_get import GetJobV1JobsJobIdGetResponseGetJobV1JobsJobIdGet
from .get_template_v1_templates_template_id_get_response_get_template_v1_templates_template_id_get import GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet
from .healthz_healthz_get_response_healthz_healthz_get import HealthzHealthzGetResponseHealthzHealthzGet
from .http_validation_error import HTTPValidationError
from .image_element import ImageElement
from .image_element_blend_mode_type_0 import ImageElementBlendModeType0
from .image_element_fit import ImageElementFit
from .image_element_flip_type_0 import ImageElementFlipType0
from .image_element_height_type_0_type_1_item import ImageElementHeightType0Type1Item
from .image_element_opacity_type_1_item import ImageElementOpacityType1Item
from .image_element_rotation_type_0_type_1_item import ImageElementRotationType0Type1Item
from .image_element_scale_type_0_type_1_item import ImageElementScaleType0Type1Item
from .image_element_width_type_0_type_1_item import ImageElementWidthType0Type1Item
from .image_element_x_type_1_item import ImageElementXType1Item
from .image_element_y_type_1_item import ImageElementYType1Item
from .job import Job
from .job_details_v1_jobs_job_id_details_get_response_job_details_v1_jobs_job_id_details_get import JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet
from .job_metadata import JobMetadata
from .job_response import JobResponse
from .ken_burns_point import KenBurnsPoint
from .ken_burns_point_focus_item_type_0_type_2 import KenBurnsPointFocusItemType0Type2
from .ken_burns_point_focus_item_type_1_type_2 import KenBurnsPointFocusItemType1Type2
from .list_jobs_v1_jobs_get_response_list_jobs_v1_jobs_get import ListJobsV1JobsGetResponseListJobsV1JobsGet
from .list_jobs_v1_jobs_get_status_type_0 import ListJobsV1JobsGetStatusType0
from .list_templates_v1_templates_get_response_list_templates_v1_templates_get import ListTemplatesV1TemplatesGetResponseListTemplatesV1TemplatesGet
from .list_videos_api_v1_video_jobs_get_response_list_videos_api_v1_video_jobs_get import ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet
from .list_videos_api_v1_video_jobs_get_status_type_0 import ListVideosApiV1VideoJobsGetStatusType0
from .loudness import Loudness
from .merge_field import MergeField
from .motion_preset import MotionPreset
from .motion_preset_type import MotionPresetType
from .output import Output
from .output_format import OutputFormat
from .overlay_element import OverlayElement
from .overlay_element_blend_mode_type_0 import OverlayElementBlendModeType0
from .overlay_element_fit import OverlayElementFit
from .overlay_element_flip_type_0 import OverlayElementFlipType0
from .overlay_element_height_type_0_type_1_item import OverlayElementHeightType0Type1Item
from .overlay_element_opacity_type_1_item import OverlayElementOpacityType1Item
from .overlay_element_past_end import OverlayElementPastEnd
from .overlay_element_rotation_type_0_type_1_item import OverlayElementRotationType0Type1Item
from .overlay_element_scale_type_0_type_1_item import OverlayElementScaleType0Type1Item
from .overlay_element_width_type_0_type_1_item import OverlayElementWidthType0Type1Item
from .overlay_element_x_type_1_item import OverlayElementXType1Item
from .overlay_element_y_type_1_item import OverlayElementYType1Item
from .poster import Poster
from .preview_problem import PreviewProblem
from .preview_problems import PreviewProblems
from .preview_v1_preview_post_format import PreviewV1PreviewPostFormat
from .quality import Quality
from .quality_preset import QualityPreset
from .rendition import Rendition
from .rendition_format import RenditionFormat
from .rendition_poster import RenditionPoster
from .rendition_quality import RenditionQuality
from .rendition_quality_preset import RenditionQualityPreset
from .shadow import Shadow
from .shape_element import ShapeElement
from .shape_element_blend_mode_type_0 import ShapeElementBlendModeType0
from .shape_element_fit import ShapeElementFit
from .shape_element_flip_type_0 import ShapeElementFlipType0
from .shape_element_height_type_0_type_1_item import ShapeElementHeightType0Type1Item
from .shape_element_opacity_type_1_item import ShapeElementOpacityType1Item
from .shape_element_rotation_type_0_type_1_item import ShapeElementRotationType0Type1Item
from .shape_element_scale_type_0_type_1_item import ShapeElementScaleType0Type1Item
from .shape_element_shape import ShapeElementShape
from .shape_element_width_type_0_type_1_item import ShapeElementWidthType0Type1Item
from .shape_element_x_type_1_item import ShapeElementXType1Item
from .shape_element_y_type_1_item import ShapeElementYType1Item
from .still import Still
from .still_format import StillFormat
from .template_document import TemplateDocument
from .template_document_composition import TemplateDocumentComposition
from .template_document_merge_fields import TemplateDocumentMergeFields
from .template_job import TemplateJob
from .template_job_merge import TemplateJobMerge
from .template_job_metadata import TemplateJobMetadata
from .template_job_modifications import TemplateJobModifications
from .template_job_output_type_0 import TemplateJobOutputType0
from .template_job_response import TemplateJobResponse
from .text_element import TextElement
from .text_element_align import TextElementAlign
from .text_element_blend_mode_type_0 import TextElementBlendModeType0
from .text_element_fit import TextElementFit
from .text_element_flip_type_0 import TextElementFlipType0
from .text_element_font_weight import TextElementFontWeight
from .text_element_height_type_0_type_1_item import TextElementHeightType0Type1Item
from .text_element_opacity_type_1_item import TextElementOpacityType1Item
from .text_element_rotation_type_0_type_1_item import TextElementRotationType0Type1Item
from .text_element_scale_type_0_type_1_item import TextElementScaleType0Type1Item
from .text_element_vertical_align import TextElementVerticalAlign
from .text_element_width_type_0_type_1_item import TextElementWidthType0Type1Item
from .text_element_x_type_1_item import TextElementXType1Item
from .text_element_y_type_1_item import TextElementYType1Item
from .thumbnails import Thumbnails
from .thumbnails_format import ThumbnailsFormat
from .transition import Transition
from .transition_type import TransitionType
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .video_details_api_v1_video_job_job_id_details_get_response_video_details_api_v1_video_job_job_id_details_get import VideoDetailsApiV1VideoJobJobIdDetailsGetResponseVideoDetailsApiV1VideoJobJobIdDetailsGet
from .video_element import VideoElement
from .video_element_blend_mode_type_0 import VideoElementBlendModeType0
from .video_element_fit import VideoElementFit
from .video_element_flip_type_0 import VideoElementFlipType0
from .video_element_height_type_0_type_1_item import VideoElementHeightType0Type1Item
from .video_element_opacity_type_1_item import VideoElementOpacityType1Item
from .video_element_past_end import VideoElementPastEnd
from .video_element_rotation_type_0_type_1_item import VideoElementRotationType0Type1Item
from .video_element_scale_type_0_type_1_item import VideoElementScaleType0Type1Item
from .video_element_volume_type_1_item import VideoElementVolumeType1Item
from .video_element_width_type_0_type_1_item import VideoElementWidthType0Type1Item
from .video_element_x_type_1_item import VideoElementXType1Item
from .video_element_y_type_1_item import VideoElementYType1Item
from .video_result_api_v1_videoresult_job_id_get_response_video_result_api_v1_videoresult_job_id_get import VideoResultApiV1VideoresultJobIdGetResponseVideoResultApiV1VideoresultJobIdGet

__all__ = (
    "AudioElement",
    "AudioElementVolumeType1Item",
    "BatchProblem",
    "Border",
    "CancelJobV1JobsJobIdDeleteResponseCancelJobV1JobsJobIdDelete",
    "CancelVideoApiV1VideoJobJobIdDeleteResponseCancelVideoApiV1VideoJobJobIdDelete",
    "CaptionsElement",
    "CaptionsElementAlign",
    "CaptionsElementBlendModeType0",
    "CaptionsElementFit",
    "CaptionsElementFlipType0",
    "CaptionsElementFontWeight",
    "CaptionsElementHeightType0Type1Item",
    "CaptionsElementOpacityType1Item",
    "CaptionsElementRotationType0Type1Item",
    "CaptionsElementScaleType0Type1Item",
    "CaptionsElementVerticalAlign",
    "CaptionsElementWidthType0Type1Item",
    "CaptionsElementXType1Item",
    "CaptionsElementYType1Item",
    "CaptionWord",
    "ChromaKey",
    "CompatCreate",
    "CompatCreateOutputFormat",
    "CompatCreateResponse",
    "CompatElement",
    "CompatElementType",
    "CreateBatchV1JobsBatchPostBody",
    "CreateBatchV1JobsBatchPostResponse200",
    "CreateBatchV1JobsBatchPostResponse200ResultsItem",
    "CreateBatchV1JobsBatchPostResponse200ResultsItemStatus",
    "Crop",
    "Cue",
    "DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete",
    "Duck",
    "Entrance",
    "EntranceType",
    "Filters",
    "GetJobV1JobsJobIdGetResponseGetJobV1JobsJobIdGet",
    "GetTemplateV1TemplatesTemplateIdGetResponseGetTemplateV1TemplatesTemplateIdGet",
    "HealthzHealthzGetResponseHealthzHealthzGet",
    "HTTPValidationError",
    "ImageElement",
    "ImageElementBlendModeType0",
    "ImageElementFit",
    "ImageElementFlipType0",
    "ImageElementHeightType0Type1Item",
    "ImageElementOpacityType1Item",
    "ImageElementRotationType0Type1Item",
    "ImageElementScaleType0Type1Item",
    "ImageElementWidthType0Type1Item",
    "ImageElementXType1Item",
    "ImageElementYType1Item",
    "Job",
    "JobDetailsV1JobsJobIdDetailsGetResponseJobDetailsV1JobsJobIdDetailsGet",
    "JobMetadata",
    "JobResponse",
    "KenBurnsPoint",
    "KenBurnsPointFocusItemType0Type2",
    "KenBurnsPointFocusItemType1Type2",
    "ListJobsV1JobsGetResponseListJobsV1JobsGet",
    "ListJobsV1JobsGetStatusType0",
    "ListTemplatesV1TemplatesGetResponseListTemplatesV1TemplatesGet",
    "ListVideosApiV1VideoJobsGetResponseListVideosApiV1VideoJobsGet",
    "ListVideosApiV1VideoJobsGetStatusType0",
    "Loudness",
    "MergeField",
    "MotionPreset",
    "MotionPresetType",
    "Output",
    "OutputFormat",
    "OverlayElement",
    "OverlayElementBlendModeType0",
    "OverlayElementFit",
    "OverlayElementFlipType0",
    "OverlayElementHeightType0Type1Item",
    "OverlayElementOpacityType1Item",
    "OverlayElementPastEnd",
    "OverlayElementRotationType0Type1Item",
    "OverlayElementScaleType0Type1Item",
    "OverlayElementWidthType0Type1Item",
    "OverlayElementXType1Item",
    "OverlayElementYType1Item",
    "Poster",
    "PreviewProblem",
    "PreviewProblems",
    "PreviewV1PreviewPostFormat",
    "Quality",
    "QualityPreset",
    "Rendition",
    "RenditionFormat",
    "RenditionPoster",
    "RenditionQuality",
    "RenditionQualityPreset",
    "Shadow",
    "ShapeElement",
    "ShapeElementBlendModeType0",
    "ShapeElementFit",
    "ShapeElementFlipType0",
    "ShapeElementHeightType0Type1Item",
    "ShapeElementOpacityType1Item",
    "ShapeElementRotationType0Type1Item",
    "ShapeElementScaleType0Type1Item",
    "ShapeElementShape",
    "ShapeElementWidthType0Type1Item",
    "ShapeElementXType1Item",
    "ShapeElementYType1Item",
    "Still",
    "StillFormat",
    "TemplateDocument",
    "TemplateDocumentComposition",
    "TemplateDocumentMergeFields",
    "TemplateJob",
    "TemplateJobMerge",
    "TemplateJobMetadata",
    "TemplateJobModifications",
    "TemplateJobOutputType0",
    "TemplateJobResponse",
    "TextElement",
    "TextElementAlign",
    "TextElementBlendModeType0",
    "TextElementFit",
    "TextElementFlipType0",
    "TextElementFontWeight",
    "TextElementHeightType0Type1Item",
    "TextElementOpacityType1Item",
    "TextElementRotationType0Type1Item",
    "TextElementScaleType0Type1Item",
    "TextElementVerticalAlign",
    "TextElementWidthType0Type1Item",
    "TextElementXType1Item",
    "TextElementYType1Item",
    "Thumbnails",
    "ThumbnailsFormat",
    "Transition",
    "TransitionType",
    "ValidationError",
    "ValidationErrorContext",
    "VideoDetailsApiV1VideoJobJobIdDetailsGetResponseVideoDetailsApiV1VideoJobJobIdDetailsGet",
    "VideoElement",
    "VideoElementBlendModeType0",
    "VideoElementFit",
    "VideoElementFlipType0",
    "VideoElementHeightType0Type1Item",
    "VideoElementOpacityType1Item",
    "VideoElementPastEnd",
    "VideoElementRotationType0Type1Item",
    "VideoElementScaleType0Type1Item",
    "VideoElementVolumeType1Item",
    "VideoElementWidthType0Type1Item",
    "VideoElementXType1Item",
    "VideoElementYType1Item",
    "VideoResultApiV1VideoresultJobIdGetResponseVideoResultApiV1VideoresultJobIdGet",
)
