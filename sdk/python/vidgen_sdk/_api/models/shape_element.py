from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.shape_element_blend_mode_type_0 import ShapeElementBlendModeType0
from ..models.shape_element_fit import ShapeElementFit
from ..models.shape_element_flip_type_0 import ShapeElementFlipType0
from ..models.shape_element_shape import ShapeElementShape
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.border import Border
  from ..models.entrance import Entrance
  from ..models.filters import Filters
  from ..models.motion_preset import MotionPreset
  from ..models.shadow import Shadow
  from ..models.shape_element_height_type_0_type_1_item import ShapeElementHeightType0Type1Item
  from ..models.shape_element_opacity_type_1_item import ShapeElementOpacityType1Item
  from ..models.shape_element_rotation_type_0_type_1_item import ShapeElementRotationType0Type1Item
  from ..models.shape_element_scale_type_0_type_1_item import ShapeElementScaleType0Type1Item
  from ..models.shape_element_width_type_0_type_1_item import ShapeElementWidthType0Type1Item
  from ..models.shape_element_x_type_1_item import ShapeElementXType1Item
  from ..models.shape_element_y_type_1_item import ShapeElementYType1Item
  from ..models.transition import Transition





T = TypeVar("T", bound="ShapeElement")



@_attrs_define
class ShapeElement:
    """ A rectangle, ellipse, line or polygon drawn in its box (points in box px or %).

        Attributes:
            shape (ShapeElementShape):
            type_ (Literal['shape']):
            blend_mode (None | ShapeElementBlendModeType0 | Unset):
            border (Border | None | Unset):
            border_radius (float | None | str | Unset):
            duration (float | None | Unset):
            end (float | None | Unset):
            enter (Entrance | None | Unset):
            exit_ (Entrance | None | Unset):
            fade_in (float | Unset):  Default: 0.0.
            fade_out (float | Unset):  Default: 0.0.
            fill (None | str | Unset):
            filters (Filters | None | Unset):
            fit (ShapeElementFit | Unset):  Default: ShapeElementFit.AUTO.
            flip (None | ShapeElementFlipType0 | Unset):
            height (float | list[ShapeElementHeightType0Type1Item] | None | str | Unset):
            id (None | str | Unset):
            lut (None | str | Unset):
            motion (MotionPreset | None | Unset):
            opacity (float | list[ShapeElementOpacityType1Item] | Unset): 0..1, or keyframes. Default: 1.0.
            points (list[list[float | str]] | None | Unset):
            rotation (float | list[ShapeElementRotationType0Type1Item] | None | Unset):
            scale (float | list[ShapeElementScaleType0Type1Item] | None | Unset):
            shadow (None | Shadow | Unset):
            start (float | Unset):  Default: 0.0.
            stroke_color (None | str | Unset):
            stroke_width (float | Unset):  Default: 0.0.
            track (int | Unset):  Default: 0.
            transition (None | Transition | Unset):
            width (float | list[ShapeElementWidthType0Type1Item] | None | str | Unset):
            x (float | list[ShapeElementXType1Item] | str | Unset): 'NN%' of the free space, pixels, a keyword, or keyframes
                of those. Default: "{'unit': '%', 'value': 50.0}".
            y (float | list[ShapeElementYType1Item] | str | Unset): 'NN%' of the free space, pixels, a keyword, or keyframes
                of those. Default: "{'unit': '%', 'value': 50.0}".
     """

    shape: ShapeElementShape
    type_: Literal['shape']
    blend_mode: None | ShapeElementBlendModeType0 | Unset = UNSET
    border: Border | None | Unset = UNSET
    border_radius: float | None | str | Unset = UNSET
    duration: float | None | Unset = UNSET
    end: float | None | Unset = UNSET
    enter: Entrance | None | Unset = UNSET
    exit_: Entrance | None | Unset = UNSET
    fade_in: float | Unset = 0.0
    fade_out: float | Unset = 0.0
    fill: None | str | Unset = UNSET
    filters: Filters | None | Unset = UNSET
    fit: ShapeElementFit | Unset = ShapeElementFit.AUTO
    flip: None | ShapeElementFlipType0 | Unset = UNSET
    height: float | list[ShapeElementHeightType0Type1Item] | None | str | Unset = UNSET
    id: None | str | Unset = UNSET
    lut: None | str | Unset = UNSET
    motion: MotionPreset | None | Unset = UNSET
    opacity: float | list[ShapeElementOpacityType1Item] | Unset = 1.0
    points: list[list[float | str]] | None | Unset = UNSET
    rotation: float | list[ShapeElementRotationType0Type1Item] | None | Unset = UNSET
    scale: float | list[ShapeElementScaleType0Type1Item] | None | Unset = UNSET
    shadow: None | Shadow | Unset = UNSET
    start: float | Unset = 0.0
    stroke_color: None | str | Unset = UNSET
    stroke_width: float | Unset = 0.0
    track: int | Unset = 0
    transition: None | Transition | Unset = UNSET
    width: float | list[ShapeElementWidthType0Type1Item] | None | str | Unset = UNSET
    x: float | list[ShapeElementXType1Item] | str | Unset = "{'unit': '%', 'value': 50.0}"
    y: float | list[ShapeElementYType1Item] | str | Unset = "{'unit': '%', 'value': 50.0}"





    def to_dict(self) -> dict[str, Any]:
        from ..models.border import Border # noqa: PLC0415
        from ..models.entrance import Entrance # noqa: PLC0415
        from ..models.filters import Filters # noqa: PLC0415
        from ..models.motion_preset import MotionPreset # noqa: PLC0415
        from ..models.shadow import Shadow # noqa: PLC0415
        from ..models.shape_element_height_type_0_type_1_item import ShapeElementHeightType0Type1Item # noqa: PLC0415
        from ..models.shape_element_opacity_type_1_item import ShapeElementOpacityType1Item # noqa: PLC0415
        from ..models.shape_element_rotation_type_0_type_1_item import ShapeElementRotationType0Type1Item # noqa: PLC0415
        from ..models.shape_element_scale_type_0_type_1_item import ShapeElementScaleType0Type1Item # noqa: PLC0415
        from ..models.shape_element_width_type_0_type_1_item import ShapeElementWidthType0Type1Item # noqa: PLC0415
        from ..models.shape_element_x_type_1_item import ShapeElementXType1Item # noqa: PLC0415
        from ..models.shape_element_y_type_1_item import ShapeElementYType1Item # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        shape = self.shape.value

        type_ = self.type_

        blend_mode: None | str | Unset
        if isinstance(self.blend_mode, Unset):
            blend_mode = UNSET
        elif isinstance(self.blend_mode, ShapeElementBlendModeType0):
            blend_mode = self.blend_mode.value
        else:
            blend_mode = self.blend_mode

        border: dict[str, Any] | None | Unset
        if isinstance(self.border, Unset):
            border = UNSET
        elif isinstance(self.border, Border):
            border = self.border.to_dict()
        else:
            border = self.border

        border_radius: float | None | str | Unset
        if isinstance(self.border_radius, Unset):
            border_radius = UNSET
        else:
            border_radius = self.border_radius

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        end: float | None | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        else:
            end = self.end

        enter: dict[str, Any] | None | Unset
        if isinstance(self.enter, Unset):
            enter = UNSET
        elif isinstance(self.enter, Entrance):
            enter = self.enter.to_dict()
        else:
            enter = self.enter

        exit_: dict[str, Any] | None | Unset
        if isinstance(self.exit_, Unset):
            exit_ = UNSET
        elif isinstance(self.exit_, Entrance):
            exit_ = self.exit_.to_dict()
        else:
            exit_ = self.exit_

        fade_in = self.fade_in

        fade_out = self.fade_out

        fill: None | str | Unset
        if isinstance(self.fill, Unset):
            fill = UNSET
        else:
            fill = self.fill

        filters: dict[str, Any] | None | Unset
        if isinstance(self.filters, Unset):
            filters = UNSET
        elif isinstance(self.filters, Filters):
            filters = self.filters.to_dict()
        else:
            filters = self.filters

        fit: str | Unset = UNSET
        if not isinstance(self.fit, Unset):
            fit = self.fit.value


        flip: None | str | Unset
        if isinstance(self.flip, Unset):
            flip = UNSET
        elif isinstance(self.flip, ShapeElementFlipType0):
            flip = self.flip.value
        else:
            flip = self.flip

        height: float | list[dict[str, Any]] | None | str | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        elif isinstance(self.height, list):
            height = []
            for height_type_0_type_1_item_data in self.height:
                height_type_0_type_1_item = height_type_0_type_1_item_data.to_dict()
                height.append(height_type_0_type_1_item)


        else:
            height = self.height

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        lut: None | str | Unset
        if isinstance(self.lut, Unset):
            lut = UNSET
        else:
            lut = self.lut

        motion: dict[str, Any] | None | Unset
        if isinstance(self.motion, Unset):
            motion = UNSET
        elif isinstance(self.motion, MotionPreset):
            motion = self.motion.to_dict()
        else:
            motion = self.motion

        opacity: float | list[dict[str, Any]] | Unset
        if isinstance(self.opacity, Unset):
            opacity = UNSET
        elif isinstance(self.opacity, list):
            opacity = []
            for opacity_type_1_item_data in self.opacity:
                opacity_type_1_item = opacity_type_1_item_data.to_dict()
                opacity.append(opacity_type_1_item)


        else:
            opacity = self.opacity

        points: list[list[float | str]] | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        elif isinstance(self.points, list):
            points = []
            for points_type_0_item_data in self.points:
                points_type_0_item = []
                for points_type_0_item_item_data in points_type_0_item_data:
                    points_type_0_item_item: float | str
                    points_type_0_item_item = points_type_0_item_item_data
                    points_type_0_item.append(points_type_0_item_item)


                points.append(points_type_0_item)


        else:
            points = self.points

        rotation: float | list[dict[str, Any]] | None | Unset
        if isinstance(self.rotation, Unset):
            rotation = UNSET
        elif isinstance(self.rotation, list):
            rotation = []
            for rotation_type_0_type_1_item_data in self.rotation:
                rotation_type_0_type_1_item = rotation_type_0_type_1_item_data.to_dict()
                rotation.append(rotation_type_0_type_1_item)


        else:
            rotation = self.rotation

        scale: float | list[dict[str, Any]] | None | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        elif isinstance(self.scale, list):
            scale = []
            for scale_type_0_type_1_item_data in self.scale:
                scale_type_0_type_1_item = scale_type_0_type_1_item_data.to_dict()
                scale.append(scale_type_0_type_1_item)


        else:
            scale = self.scale

        shadow: dict[str, Any] | None | Unset
        if isinstance(self.shadow, Unset):
            shadow = UNSET
        elif isinstance(self.shadow, Shadow):
            shadow = self.shadow.to_dict()
        else:
            shadow = self.shadow

        start = self.start

        stroke_color: None | str | Unset
        if isinstance(self.stroke_color, Unset):
            stroke_color = UNSET
        else:
            stroke_color = self.stroke_color

        stroke_width = self.stroke_width

        track = self.track

        transition: dict[str, Any] | None | Unset
        if isinstance(self.transition, Unset):
            transition = UNSET
        elif isinstance(self.transition, Transition):
            transition = self.transition.to_dict()
        else:
            transition = self.transition

        width: float | list[dict[str, Any]] | None | str | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        elif isinstance(self.width, list):
            width = []
            for width_type_0_type_1_item_data in self.width:
                width_type_0_type_1_item = width_type_0_type_1_item_data.to_dict()
                width.append(width_type_0_type_1_item)


        else:
            width = self.width

        x: float | list[dict[str, Any]] | str | Unset
        if isinstance(self.x, Unset):
            x = UNSET
        elif isinstance(self.x, list):
            x = []
            for x_type_1_item_data in self.x:
                x_type_1_item = x_type_1_item_data.to_dict()
                x.append(x_type_1_item)


        else:
            x = self.x

        y: float | list[dict[str, Any]] | str | Unset
        if isinstance(self.y, Unset):
            y = UNSET
        elif isinstance(self.y, list):
            y = []
            for y_type_1_item_data in self.y:
                y_type_1_item = y_type_1_item_data.to_dict()
                y.append(y_type_1_item)


        else:
            y = self.y


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "shape": shape,
            "type": type_,
        })
        if blend_mode is not UNSET:
            field_dict["blend_mode"] = blend_mode
        if border is not UNSET:
            field_dict["border"] = border
        if border_radius is not UNSET:
            field_dict["border_radius"] = border_radius
        if duration is not UNSET:
            field_dict["duration"] = duration
        if end is not UNSET:
            field_dict["end"] = end
        if enter is not UNSET:
            field_dict["enter"] = enter
        if exit_ is not UNSET:
            field_dict["exit"] = exit_
        if fade_in is not UNSET:
            field_dict["fade_in"] = fade_in
        if fade_out is not UNSET:
            field_dict["fade_out"] = fade_out
        if fill is not UNSET:
            field_dict["fill"] = fill
        if filters is not UNSET:
            field_dict["filters"] = filters
        if fit is not UNSET:
            field_dict["fit"] = fit
        if flip is not UNSET:
            field_dict["flip"] = flip
        if height is not UNSET:
            field_dict["height"] = height
        if id is not UNSET:
            field_dict["id"] = id
        if lut is not UNSET:
            field_dict["lut"] = lut
        if motion is not UNSET:
            field_dict["motion"] = motion
        if opacity is not UNSET:
            field_dict["opacity"] = opacity
        if points is not UNSET:
            field_dict["points"] = points
        if rotation is not UNSET:
            field_dict["rotation"] = rotation
        if scale is not UNSET:
            field_dict["scale"] = scale
        if shadow is not UNSET:
            field_dict["shadow"] = shadow
        if start is not UNSET:
            field_dict["start"] = start
        if stroke_color is not UNSET:
            field_dict["stroke_color"] = stroke_color
        if stroke_width is not UNSET:
            field_dict["stroke_width"] = stroke_width
        if track is not UNSET:
            field_dict["track"] = track
        if transition is not UNSET:
            field_dict["transition"] = transition
        if width is not UNSET:
            field_dict["width"] = width
        if x is not UNSET:
            field_dict["x"] = x
        if y is not UNSET:
            field_dict["y"] = y

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.border import Border # noqa: PLC0415
        from ..models.entrance import Entrance # noqa: PLC0415
        from ..models.filters import Filters # noqa: PLC0415
        from ..models.motion_preset import MotionPreset # noqa: PLC0415
        from ..models.shadow import Shadow # noqa: PLC0415
        from ..models.shape_element_height_type_0_type_1_item import ShapeElementHeightType0Type1Item # noqa: PLC0415
        from ..models.shape_element_opacity_type_1_item import ShapeElementOpacityType1Item # noqa: PLC0415
        from ..models.shape_element_rotation_type_0_type_1_item import ShapeElementRotationType0Type1Item # noqa: PLC0415
        from ..models.shape_element_scale_type_0_type_1_item import ShapeElementScaleType0Type1Item # noqa: PLC0415
        from ..models.shape_element_width_type_0_type_1_item import ShapeElementWidthType0Type1Item # noqa: PLC0415
        from ..models.shape_element_x_type_1_item import ShapeElementXType1Item # noqa: PLC0415
        from ..models.shape_element_y_type_1_item import ShapeElementYType1Item # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        d = dict(src_dict)
        shape = ShapeElementShape(d.pop("shape"))




        type_ = cast(Literal['shape'] , d.pop("type"))
        if type_ != 'shape':
            raise ValueError(f"type must match const 'shape', got '{type_}'")

        def _parse_blend_mode(data: object) -> None | ShapeElementBlendModeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                blend_mode_type_0 = ShapeElementBlendModeType0(data)



                return blend_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShapeElementBlendModeType0 | Unset, data)

        blend_mode = _parse_blend_mode(d.pop("blend_mode", UNSET))


        def _parse_border(data: object) -> Border | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                border_type_0 = Border.from_dict(data)



                return border_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Border | None | Unset, data)

        border = _parse_border(d.pop("border", UNSET))


        def _parse_border_radius(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        border_radius = _parse_border_radius(d.pop("border_radius", UNSET))


        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))


        def _parse_end(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))


        def _parse_enter(data: object) -> Entrance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                enter_type_0 = Entrance.from_dict(data)



                return enter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Entrance | None | Unset, data)

        enter = _parse_enter(d.pop("enter", UNSET))


        def _parse_exit_(data: object) -> Entrance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                exit_type_0 = Entrance.from_dict(data)



                return exit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Entrance | None | Unset, data)

        exit_ = _parse_exit_(d.pop("exit", UNSET))


        fade_in = d.pop("fade_in", UNSET)

        fade_out = d.pop("fade_out", UNSET)

        def _parse_fill(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fill = _parse_fill(d.pop("fill", UNSET))


        def _parse_filters(data: object) -> Filters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filters_type_0 = Filters.from_dict(data)



                return filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Filters | None | Unset, data)

        filters = _parse_filters(d.pop("filters", UNSET))


        _fit = d.pop("fit", UNSET)
        fit: ShapeElementFit | Unset
        if isinstance(_fit,  Unset):
            fit = UNSET
        else:
            fit = ShapeElementFit(_fit)




        def _parse_flip(data: object) -> None | ShapeElementFlipType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flip_type_0 = ShapeElementFlipType0(data)



                return flip_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShapeElementFlipType0 | Unset, data)

        flip = _parse_flip(d.pop("flip", UNSET))


        def _parse_height(data: object) -> float | list[ShapeElementHeightType0Type1Item] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                height_type_0_type_1 = []
                _height_type_0_type_1 = data
                for height_type_0_type_1_item_data in (_height_type_0_type_1):
                    height_type_0_type_1_item = ShapeElementHeightType0Type1Item.from_dict(height_type_0_type_1_item_data)



                    height_type_0_type_1.append(height_type_0_type_1_item)

                return height_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementHeightType0Type1Item] | None | str | Unset, data)

        height = _parse_height(d.pop("height", UNSET))


        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))


        def _parse_lut(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lut = _parse_lut(d.pop("lut", UNSET))


        def _parse_motion(data: object) -> MotionPreset | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                motion_type_0 = MotionPreset.from_dict(data)



                return motion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MotionPreset | None | Unset, data)

        motion = _parse_motion(d.pop("motion", UNSET))


        def _parse_opacity(data: object) -> float | list[ShapeElementOpacityType1Item] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                opacity_type_1 = []
                _opacity_type_1 = data
                for opacity_type_1_item_data in (_opacity_type_1):
                    opacity_type_1_item = ShapeElementOpacityType1Item.from_dict(opacity_type_1_item_data)



                    opacity_type_1.append(opacity_type_1_item)

                return opacity_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementOpacityType1Item] | Unset, data)

        opacity = _parse_opacity(d.pop("opacity", UNSET))


        def _parse_points(data: object) -> list[list[float | str]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                points_type_0 = []
                _points_type_0 = data
                for points_type_0_item_data in (_points_type_0):
                    points_type_0_item = []
                    _points_type_0_item = points_type_0_item_data
                    for points_type_0_item_item_data in (_points_type_0_item):
                        def _parse_points_type_0_item_item(data: object) -> float | str:
                            return cast(float | str, data)

                        points_type_0_item_item = _parse_points_type_0_item_item(points_type_0_item_item_data)

                        points_type_0_item.append(points_type_0_item_item)

                    points_type_0.append(points_type_0_item)

                return points_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[float | str]] | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))


        def _parse_rotation(data: object) -> float | list[ShapeElementRotationType0Type1Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rotation_type_0_type_1 = []
                _rotation_type_0_type_1 = data
                for rotation_type_0_type_1_item_data in (_rotation_type_0_type_1):
                    rotation_type_0_type_1_item = ShapeElementRotationType0Type1Item.from_dict(rotation_type_0_type_1_item_data)



                    rotation_type_0_type_1.append(rotation_type_0_type_1_item)

                return rotation_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementRotationType0Type1Item] | None | Unset, data)

        rotation = _parse_rotation(d.pop("rotation", UNSET))


        def _parse_scale(data: object) -> float | list[ShapeElementScaleType0Type1Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scale_type_0_type_1 = []
                _scale_type_0_type_1 = data
                for scale_type_0_type_1_item_data in (_scale_type_0_type_1):
                    scale_type_0_type_1_item = ShapeElementScaleType0Type1Item.from_dict(scale_type_0_type_1_item_data)



                    scale_type_0_type_1.append(scale_type_0_type_1_item)

                return scale_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementScaleType0Type1Item] | None | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))


        def _parse_shadow(data: object) -> None | Shadow | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                shadow_type_0 = Shadow.from_dict(data)



                return shadow_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Shadow | Unset, data)

        shadow = _parse_shadow(d.pop("shadow", UNSET))


        start = d.pop("start", UNSET)

        def _parse_stroke_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stroke_color = _parse_stroke_color(d.pop("stroke_color", UNSET))


        stroke_width = d.pop("stroke_width", UNSET)

        track = d.pop("track", UNSET)

        def _parse_transition(data: object) -> None | Transition | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transition_type_0 = Transition.from_dict(data)



                return transition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Transition | Unset, data)

        transition = _parse_transition(d.pop("transition", UNSET))


        def _parse_width(data: object) -> float | list[ShapeElementWidthType0Type1Item] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                width_type_0_type_1 = []
                _width_type_0_type_1 = data
                for width_type_0_type_1_item_data in (_width_type_0_type_1):
                    width_type_0_type_1_item = ShapeElementWidthType0Type1Item.from_dict(width_type_0_type_1_item_data)



                    width_type_0_type_1.append(width_type_0_type_1_item)

                return width_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementWidthType0Type1Item] | None | str | Unset, data)

        width = _parse_width(d.pop("width", UNSET))


        def _parse_x(data: object) -> float | list[ShapeElementXType1Item] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                x_type_1 = []
                _x_type_1 = data
                for x_type_1_item_data in (_x_type_1):
                    x_type_1_item = ShapeElementXType1Item.from_dict(x_type_1_item_data)



                    x_type_1.append(x_type_1_item)

                return x_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementXType1Item] | str | Unset, data)

        x = _parse_x(d.pop("x", UNSET))


        def _parse_y(data: object) -> float | list[ShapeElementYType1Item] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                y_type_1 = []
                _y_type_1 = data
                for y_type_1_item_data in (_y_type_1):
                    y_type_1_item = ShapeElementYType1Item.from_dict(y_type_1_item_data)



                    y_type_1.append(y_type_1_item)

                return y_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[ShapeElementYType1Item] | str | Unset, data)

        y = _parse_y(d.pop("y", UNSET))


        shape_element = cls(
            shape=shape,
            type_=type_,
            blend_mode=blend_mode,
            border=border,
            border_radius=border_radius,
            duration=duration,
            end=end,
            enter=enter,
            exit_=exit_,
            fade_in=fade_in,
            fade_out=fade_out,
            fill=fill,
            filters=filters,
            fit=fit,
            flip=flip,
            height=height,
            id=id,
            lut=lut,
            motion=motion,
            opacity=opacity,
            points=points,
            rotation=rotation,
            scale=scale,
            shadow=shadow,
            start=start,
            stroke_color=stroke_color,
            stroke_width=stroke_width,
            track=track,
            transition=transition,
            width=width,
            x=x,
            y=y,
        )

        return shape_element

