"""Transitions between consecutive elements on a track, resolved into both layers' motion.

B (the element with `transition`) is drawn above A and revealed over [B.start, B.start +
duration) by a mask, an opacity ramp or a slide; A keeps being drawn underneath until the
window is over (then it ends). Where B does not cover A opaquely (keyed, rounded, smaller,
moving...), A also fades out over the fade, mask and zoom windows, so nothing of it
vanishes at the end; and for the types that move or colour the outgoing picture
(slide, fade-black/white, pixelize, zoom-in) A gets its own part. Both parts are ordinary
motion in element-local time, so a slice through a transition draws what the full render
draws. The sound of two video elements crossfades over the same window.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from shared.composition.animation import (
    ColourFade,
    LayerMotion,
    Mask,
    layer_motion,
    ramp,
    slide_offset,
)
from shared.composition.keyframes import LINEAR, Easing, Track
from shared.composition.sequence import previous_on_track

if TYPE_CHECKING:
    from shared.composition.plan import AudioTrack, VisualLayer
    from shared.composition.spec import Job

__all__ = ["MASKED", "apply_transitions"]

Keyed = list[tuple[tuple[int, int, int, int], "VisualLayer"]]
MASKED = ("dissolve", "wipe-left", "wipe-right", "wipe-up", "wipe-down", "circle-open",
          "circle-close", "radial", "smooth-left", "smooth-right")
_STEP = Easing("step", text="step")
_OPPOSITE = {"left": "right", "right": "left", "up": "down", "down": "up"}


def _motion(job: Job, layer: VisualLayer, canvas: tuple[int, int]) -> LayerMotion:
    if layer.motion is not None:
        return layer.motion
    element = job.elements[layer.index]
    return layer_motion(element, layer.placement, canvas, layer.duration)


def _centre(motion: LayerMotion, when: float) -> tuple[float, float]:
    return (sum(t.at(when) for t in motion.centre_x), sum(t.at(when) for t in motion.centre_y))


def _covers(b: VisualLayer, motion_b: LayerMotion, a: VisualLayer) -> bool:
    """Whether B is an opaque picture standing still over all of A's box: A may then be
    drawn whole under B until the window ends (an exact crossfade). Otherwise (a keyed,
    rounded, shadowed, padded, moving or smaller B, text, shapes) A would show through B
    and vanish at the window's end, so A leaves over the window too."""
    pa, pb = a.placement, b.placement
    return (
        b.kind in ("video", "image") and b.shape is None and b.opacity >= 1 and not pb.pads
        and not (b.media is not None and b.media.has_alpha)
        and (b.looks is None or not b.looks.keyed)
        and (b.decor is None or (b.decor.radius <= 0 and b.decor.shadow is None))
        and not motion_b.resizes and motion_b.rotation.is_constant
        and motion_b.rotation.first % 90 == 0
        and all(t.is_constant for t in (*motion_b.centre_x, *motion_b.centre_y))
        and all(t.is_constant and t.first >= 1 for t in motion_b.opacity)
        and pb.x <= pa.x and pb.y <= pa.y
        and pb.x + pb.width >= pa.x + pa.width and pb.y + pb.height >= pa.y + pa.height
    )


def _parts(kind: str, d: float, easing: Easing, a0: float, a: LayerMotion, b: LayerMotion,
           sizes: tuple[VisualLayer, VisualLayer], canvas: tuple[int, int]
           ) -> tuple[LayerMotion, LayerMotion]:
    """(A's motion, B's motion) with the transition's parts added."""
    layer_a, layer_b = sizes
    covered = _covers(layer_b, b, layer_a)
    leaves = a if covered else a.with_extra(opacity=(ramp(a0, d, easing, 1.0, 0.0),))
    # the colour and pixel types hide A by half-way, when B appears
    gone = a if covered else a.with_extra(
        opacity=(Track(((a0, 1.0, LINEAR), (a0 + d / 2, 0.0, _STEP))),))
    if kind == "fade":
        return leaves, b.with_extra(opacity=(ramp(0.0, d, easing, 0.0, 1.0),))
    if kind in MASKED:
        return leaves, b.with_extra(masks=(Mask(kind, 0.0, d, easing),))
    half_way = Track(((0.0, 0.0, LINEAR), (d / 2, 1.0, _STEP)))
    if kind in ("fade-black", "fade-white"):
        colour = "black" if kind == "fade-black" else "white"
        return (gone.with_extra(colour_fades=(ColourFade(colour, a0, d / 2, out=True),)),
                b.with_extra(opacity=(half_way,),
                             colour_fades=(ColourFade(colour, d / 2, d / 2, out=False),)))
    if kind == "pixelize":
        return (gone.with_extra(pixelize=((a0, a0 + d / 2),)),
                b.with_extra(opacity=(half_way,), pixelize=((d / 2, d),)))
    if kind == "zoom-in":
        return (leaves.with_extra(zoom=(ramp(a0, d, easing, 1.0, 2.0),)),
                b.with_extra(opacity=(ramp(0.0, d, easing, 0.0, 1.0),)))
    side = kind.removeprefix("slide-")
    in_x, in_y = slide_offset(side, _centre(b, d), _half(layer_b), canvas)
    out_x, out_y = slide_offset(_OPPOSITE[side], _centre(a, a0), _half(layer_a), canvas)
    return (a.with_extra(centre_x=(ramp(a0, d, easing, 0.0, out_x),),
                         centre_y=(ramp(a0, d, easing, 0.0, out_y),)),
            b.with_extra(centre_x=(ramp(0.0, d, easing, in_x, 0.0),),
                         centre_y=(ramp(0.0, d, easing, in_y, 0.0),)))


def _half(layer: VisualLayer) -> tuple[float, float]:
    return layer.placement.width / 2, layer.placement.height / 2


def apply_transitions(job: Job, keyed: Keyed, audio: list[AudioTrack], *,
                      canvas: tuple[int, int]) -> tuple[Keyed, list[AudioTrack]]:
    """The layers and audio with every transition's parts in place."""
    by_index = {layer.index: (key, layer) for key, layer in keyed}
    sounds = {track.index: track for track in audio}
    for index, element in enumerate(job.elements):
        transition: Any = getattr(element, "transition", None)
        before = previous_on_track(job.elements, index) if transition else None
        if before is None or index not in by_index or before not in by_index:
            continue
        key_b, layer_b = by_index[index]
        key_a, layer_a = by_index[before]
        d = transition.duration
        cut = min(layer_a.end, layer_b.start + d)
        layer_a = replace(layer_a, end=cut)
        a0 = layer_b.start - layer_a.start
        motion_a, motion_b = _parts(transition.type, d, transition.easing, a0,
                                    _motion(job, layer_a, canvas), _motion(job, layer_b, canvas),
                                    (layer_a, layer_b), canvas)
        by_index[before] = (key_a, replace(layer_a, motion=motion_a))
        if key_b[2] < key_a[2]:  # B is drawn above A whatever the array order
            key_b = (key_b[0], key_b[1], key_a[2], 1)
        by_index[index] = (key_b, replace(layer_b, motion=motion_b))
        if before in sounds:
            sound_a = sounds[before]
            end = min(sound_a.end, cut)
            sounds[before] = replace(sound_a, end=end,
                                     fade_out=max(sound_a.fade_out, end - layer_b.start))
        if index in sounds:
            sounds[index] = replace(sounds[index], fade_in=max(sounds[index].fade_in, d))
    return list(by_index.values()), [sounds[track.index] for track in audio]
