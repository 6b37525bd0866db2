from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rendition_format import RenditionFormat
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.loudness import Loudness
  from ..models.rendition_poster import RenditionPoster
  from ..models.rendition_quality import RenditionQuality





T = TypeVar("T", bound="Rendition")



@_attrs_define
class Rendition:
    """ One file (or, for hls, one variant stream) of the job.

        Attributes:
            name (str):
            background (None | str | Unset):
            duration (float | None | Unset):
            format_ (RenditionFormat | Unset):  Default: RenditionFormat.MP4.
            fps (float | None | Unset):
            height (int | None | Unset):
            loudness (Loudness | None | Unset):
            poster (None | RenditionPoster | Unset):
            quality (RenditionQuality | Unset): As `output.quality`.
            subtitles (Literal['soft'] | None | Unset):
            width (int | None | Unset):
     """

    name: str
    background: None | str | Unset = UNSET
    duration: float | None | Unset = UNSET
    format_: RenditionFormat | Unset = RenditionFormat.MP4
    fps: float | None | Unset = UNSET
    height: int | None | Unset = UNSET
    loudness: Loudness | None | Unset = UNSET
    poster: None | RenditionPoster | Unset = UNSET
    quality: RenditionQuality | Unset = UNSET
    subtitles: Literal['soft'] | None | Unset = UNSET
    width: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.loudness import Loudness # noqa: PLC0415
        from ..models.rendition_poster import RenditionPoster # noqa: PLC0415
        from ..models.rendition_quality import RenditionQuality # noqa: PLC0415
        name = self.name

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        else:
            background = self.background

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        fps: float | None | Unset
        if isinstance(self.fps, Unset):
            fps = UNSET
        else:
            fps = self.fps

        height: int | None | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        loudness: dict[str, Any] | None | Unset
        if isinstance(self.loudness, Unset):
            loudness = UNSET
        elif isinstance(self.loudness, Loudness):
            loudness = self.loudness.to_dict()
        else:
            loudness = self.loudness

        poster: dict[str, Any] | None | Unset
        if isinstance(self.poster, Unset):
            poster = UNSET
        elif isinstance(self.poster, RenditionPoster):
            poster = self.poster.to_dict()
        else:
            poster = self.poster

        quality: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quality, Unset):
            quality = self.quality.to_dict()

        subtitles: Literal['soft'] | None | Unset
        if isinstance(self.subtitles, Unset):
            subtitles = UNSET
        else:
            subtitles = self.subtitles

        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if background is not UNSET:
            field_dict["background"] = background
        if duration is not UNSET:
            field_dict["duration"] = duration
        if format_ is not UNSET:
            field_dict["format"] = format_
        if fps is not UNSET:
            field_dict["fps"] = fps
        if height is not UNSET:
            field_dict["height"] = height
        if loudness is not UNSET:
            field_dict["loudness"] = loudness
        if poster is not UNSET:
            field_dict["poster"] = poster
        if quality is not UNSET:
            field_dict["quality"] = quality
        if subtitles is not UNSET:
            field_dict["subtitles"] = subtitles
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loudness import Loudness # noqa: PLC0415
        from ..models.rendition_poster import RenditionPoster # noqa: PLC0415
        from ..models.rendition_quality import RenditionQuality # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_background(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        background = _parse_background(d.pop("background", UNSET))


        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))


        _format_ = d.pop("format", UNSET)
        format_: RenditionFormat | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = RenditionFormat(_format_)




        def _parse_fps(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        fps = _parse_fps(d.pop("fps", UNSET))


        def _parse_height(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        height = _parse_height(d.pop("height", UNSET))


        def _parse_loudness(data: object) -> Loudness | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                loudness_type_0 = Loudness.from_dict(data)



                return loudness_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Loudness | None | Unset, data)

        loudness = _parse_loudness(d.pop("loudness", UNSET))


        def _parse_poster(data: object) -> None | RenditionPoster | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                poster_type_0 = RenditionPoster.from_dict(data)



                return poster_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RenditionPoster | Unset, data)

        poster = _parse_poster(d.pop("poster", UNSET))


        _quality = d.pop("quality", UNSET)
        quality: RenditionQuality | Unset
        if isinstance(_quality,  Unset):
            quality = UNSET
        else:
            quality = RenditionQuality.from_dict(_quality)




        def _parse_subtitles(data: object) -> Literal['soft'] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            subtitles_type_0 = cast(Literal['soft'] , data)
            if subtitles_type_0 != 'soft':
                raise ValueError(f"subtitles_type_0 must match const 'soft', got '{subtitles_type_0}'")
            return subtitles_type_0
            return cast(Literal['soft'] | None | Unset, data)

        subtitles = _parse_subtitles(d.pop("subtitles", UNSET))


        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))


        rendition = cls(
            name=name,
            background=background,
            duration=duration,
            format_=format_,
            fps=fps,
            height=height,
            loudness=loudness,
            poster=poster,
            quality=quality,
            subtitles=subtitles,
            width=width,
        )

        return rendition

