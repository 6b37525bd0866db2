"""Composition E of the render benchmark: the looks and the sound of spec v2 in one 720p
video: a graded background clip (filters and a 3D LUT), a cropped, twice-as-fast,
chroma-keyed presenter, a picture with rounded corners and a shadow, a shape, and music
ducked under a voice.

The hand-written command does what an expert would for the same pictures in one FFmpeg
run: the picture's corners and shadow are made once on its one frame and then repeated, the
shape is a filled `drawbox`, the duck a `volume` expression of time like vidgen's.
"""

from __future__ import annotations

from typing import Any

from bench.common import Composition, Media, output

E_CROP = (480, 360, 80, 0)  # w, h, x, y of the green screen
E_SPEED = 2.0
E_PRESENTER = (40, 300)  # x, y: 480x360 at the bottom left
E_KEY = ("00b140", 0.12)
E_PICTURE = (760, 60, 448, 252)  # x, y, w, h
E_RADIUS = 24
E_SHADOW = (8, 8, 12, 0.5)  # x, y, blur, alpha
E_SHAPE = (640, 600, 600, 80)  # x, y, w, h
E_SHAPE_FILL = ("1d3557", 0.85)
E_VOICE = (3.0, 4.0)  # start, duration
E_DUCK = (-12.0, 0.2, 0.5)  # amount dB, attack, release
E_FILTERS = {"contrast": 1.1, "saturation": 1.2}


def _rounded_alpha(width: int, height: int, radius: int) -> str:
    """geq alpha of a rounded box: 0 outside the quarter circles of its corners."""
    dx = f"max(max({radius}-X,X-{width - 1 - radius}),0)"
    dy = f"max(max({radius}-Y,Y-{height - 1 - radius}),0)"
    return f"255*clip({radius}+0.5-hypot({dx},{dy}),0,1)"


def _duck_gain() -> str:
    """The music's gain: down by the duck's dB over `attack` from the voice's start, back
    over `release` from its end (as vidgen's expression of the timeline)."""
    amount, attack, release = E_DUCK
    start, length = E_VOICE
    end = start + length
    depth = f"clip(min((t-{start:g})/{attack:g},1-(t-{end:g})/{release:g}),0,1)"
    return f"0.8*pow(10,{amount:g}*{depth}/20)"


def build_e(duration: float = 10.0) -> Composition:
    cw, ch, cx, cy = E_CROP
    px, py = E_PRESENTER
    ix, iy, iw, ih = E_PICTURE
    sx, sy, blur, shadow_alpha = E_SHADOW
    rx, ry, rw, rh = E_SHAPE
    colour, similarity = E_KEY
    voice_start, voice_length = E_VOICE
    amount, attack, release = E_DUCK

    def spec(m: Media) -> dict[str, Any]:
        return {"elements": [
            {"id": "background", "type": "video", "source": m.clip, "fit": "cover",
             "muted": True, "filters": E_FILTERS, "lut": m.grade},
            {"id": "presenter", "type": "video", "source": m.screen, "muted": True,
             "crop": {"x": cx, "y": cy, "width": cw, "height": ch}, "speed": E_SPEED,
             "x": px, "y": py, "width": cw, "height": ch, "track": 1,
             "chroma_key": {"color": f"#{colour}", "similarity": similarity}},
            {"id": "picture", "type": "image", "source": m.stills[0], "x": ix, "y": iy,
             "width": iw, "height": ih, "fit": "fill", "border_radius": E_RADIUS,
             "shadow": {"color": f"black@{shadow_alpha:g}", "blur": blur, "x": sx, "y": sy},
             "track": 2},
            {"id": "bar", "type": "shape", "shape": "rectangle", "x": rx, "y": ry,
             "width": rw, "height": rh, "fill": f"#{E_SHAPE_FILL[0]}@{E_SHAPE_FILL[1]:g}",
             "track": 2},
            {"id": "music", "type": "audio", "source": m.music, "volume": 0.8,
             "duck": {"under": ["voice"], "amount_db": amount, "attack": attack,
                      "release": release}},
            {"id": "voice", "type": "audio", "source": m.clip, "start": voice_start,
             "duration": voice_length},
        ]}

    def hand(m: Media) -> list[str]:
        margin = 3 * blur  # room around the picture for its blurred, offset shadow
        picture = (
            f"[2:v]scale={iw}:{ih}:out_range=tv,setsar=1,format=rgba,"
            f"geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='{_rounded_alpha(iw, ih, E_RADIUS)}',"
            "split[pic][sil];"
            f"[sil]lutrgb=r=0:g=0:b=0:a='val*{shadow_alpha:g}',"
            f"pad={iw + 2 * margin}:{ih + 2 * margin}:{margin + sx}:{margin + sy}:black@0,"
            f"gblur=sigma={blur:g}[shadow];"
            f"[shadow][pic]overlay={margin}:{margin},format=yuva420p,"
            f"loop=loop=-1:size=1,setpts=N/30/TB[framed]"
        )
        graph = ";".join([
            f"[0:v]eq=contrast={E_FILTERS['contrast']:g}:saturation={E_FILTERS['saturation']:g},"
            f"lut3d=file={m.grade}:interp=tetrahedral[bg]",
            f"[1:v]crop={cw}:{ch}:{cx}:{cy},setpts=PTS/{E_SPEED:g},fps=30,"
            f"chromakey=color=0x{colour}:similarity={similarity:g}[key]",
            picture,
            f"[bg][key]overlay={px}:{py}[o1]",
            f"[o1][framed]overlay={ix - margin}:{iy - margin}:shortest=1,"
            f"drawbox=x={rx}:y={ry}:w={rw}:h={rh}:color=0x{E_SHAPE_FILL[0]}@"
            f"{E_SHAPE_FILL[1]:g}:t=fill[v]",
            f"[3:a]volume='{_duck_gain()}':eval=frame[music]",
            f"[0:a]atrim=0:{voice_length:g},adelay={voice_start * 1000:g}:all=1[voice]",
            "[music][voice]amix=inputs=2:duration=first:normalize=0[a]",
        ])
        return ["-i", m.clip, "-i", m.screen, "-i", m.stills[0], "-i", m.music,
                "-filter_complex", graph, "-map", "[v]", "-map", "[a]"]

    def moviepy(m: Media) -> Any:
        """A simpler version: MoviePy has no LUTs, rounded corners, shadows or ducking; the
        music is lowered for the voice's window with a second, quieter copy."""
        from moviepy import (
            AudioFileClip,
            ColorClip,
            CompositeAudioClip,
            CompositeVideoClip,
            ImageClip,
            VideoFileClip,
            vfx,
        )

        background = VideoFileClip(m.clip, audio=False).subclipped(0, duration)
        background = background.with_effects([vfx.LumContrast(contrast=0.1)])
        presenter = VideoFileClip(m.screen, audio=False).with_effects([
            vfx.Crop(x1=cx, y1=cy, width=cw, height=ch), vfx.MultiplySpeed(E_SPEED),
            vfx.MaskColor(color=(0x00, 0xB1, 0x40), threshold=60, stiffness=5),
        ]).subclipped(0, duration).with_position((px, py))
        picture = ImageClip(m.stills[0]).resized((iw, ih)).with_position((ix, iy))
        bar = ColorClip((rw, rh), color=(0x1D, 0x35, 0x57)).with_opacity(E_SHAPE_FILL[1])
        layers = [background, presenter, picture.with_duration(duration),
                  bar.with_position((rx, ry)).with_duration(duration)]
        clip = CompositeVideoClip(layers, size=(1280, 720)).with_duration(duration)
        music = AudioFileClip(m.music).subclipped(0, duration).with_volume_scaled(0.8)
        voice = AudioFileClip(m.clip).subclipped(0, voice_length).with_start(voice_start)
        return clip.with_audio(CompositeAudioClip([music, voice]))

    return Composition("E", "720p looks: graded clip, keyed 2x presenter, rounded picture "
                       "with shadow, shape, ducked music", 1280, 720, 30, duration,
                       lambda m: {"output": output(1280, 720, duration), **spec(m)},
                       hand, moviepy)
