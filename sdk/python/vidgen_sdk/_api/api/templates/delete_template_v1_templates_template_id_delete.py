from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.delete_template_v1_templates_template_id_delete_response_delete_template_v1_templates_template_id_delete import DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete
from ...models.http_validation_error import HTTPValidationError
from typing import cast



def _get_kwargs(
    template_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/templates/{template_id}".format(template_id=quote(str(template_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete.from_dict(response.json())



        return response_200

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError]:
    """ Delete Template

     Delete a template and all its versions (jobs made from it keep their record).

    Args:
        template_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        template_id=template_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    template_id: str,
    *,
    client: AuthenticatedClient,

) -> Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError | None:
    """ Delete Template

     Delete a template and all its versions (jobs made from it keep their record).

    Args:
        template_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError
     """


    return sync_detailed(
        template_id=template_id,
client=client,

    ).parsed

async def asyncio_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError]:
    """ Delete Template

     Delete a template and all its versions (jobs made from it keep their record).

    Args:
        template_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError]
     """


    kwargs = _get_kwargs(
        template_id=template_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    template_id: str,
    *,
    client: AuthenticatedClient,

) -> Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError | None:
    """ Delete Template

     Delete a template and all its versions (jobs made from it keep their record).

    Args:
        template_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DeleteTemplateV1TemplatesTemplateIdDeleteResponseDeleteTemplateV1TemplatesTemplateIdDelete | HTTPValidationError
     """


    return (await asyncio_detailed(
        template_id=template_id,
client=client,

    )).parsed
