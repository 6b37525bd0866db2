"""`POST /internal/v1/preview` on the worker's HTTP port: ingest's way to a render worker
for previews (docs/decisions.md, "Previews"). Not public: the port listens on
VIDGEN_RENDER_HOST (loopback by default) and the route is left out of any API document.

Answers: 200 with the picture or clip; 422 `{"errors": [{"path", "message"}]}` for a job
or time that is not valid here (the composition's length is known only once its sources
are probed); 400 for a source that is not an object of the asset cache; 503 when every
preview slot is taken (ingest asks another worker); 502 when
a source could not be had from storage; 500 when FFmpeg failed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from services.render.preview import Busy, NotAnAsset, PreviewRenderer, PreviewRequest
from services.render.runner import FFmpegError, RenderTimeout
from shared.composition import SpecError
from shared.consumer import StepError

__all__ = ["PATH", "router"]

PATH = "/internal/v1/preview"
router = APIRouter(include_in_schema=False)


@router.post(PATH)
async def preview(request: Request, body: PreviewRequest) -> Response:
    renderer: PreviewRenderer | None = getattr(request.app.state, "previews", None)
    if renderer is None:
        return JSONResponse({"detail": "this worker renders no previews"}, 503)
    try:
        content, media_type = await renderer.render(body)
    except SpecError as exc:
        return JSONResponse({"errors": [problem.as_dict() for problem in exc.problems]}, 422)
    except NotAnAsset as exc:
        return JSONResponse({"detail": str(exc)}, 400)
    except Busy as exc:
        return JSONResponse({"detail": str(exc)}, 503)
    except StepError as exc:  # a source missing from, or not answered by, storage
        return JSONResponse({"detail": str(exc), "error_code": exc.code}, 502)
    except (FFmpegError, RenderTimeout, ValueError) as exc:
        return JSONResponse({"detail": f"the preview failed: {exc}"}, 500)
    return Response(content, media_type=media_type, headers={"Cache-Control": "no-store"})
