"""Server functions: "use server" Python modules called from islands and plain forms.

What a server function may import from here works both under islandgen and
inside the exported bundle (which ships these modules without the rest of
islandgen), so everything re-exported below is stdlib only:

    from islandgen.functions import FunctionError, UploadedFile, request

The build-time side (discovery, client stubs, the bundle writer, the `server`
template global) lives in the other modules of this package and is not
imported here.
"""

from .dispatch import Dispatcher, Response
from .registry import Function, Settings
from .request import FunctionError, Headers, Request, UploadedFile, request

__all__ = ["Dispatcher", "Function", "FunctionError", "Headers", "Request", "Response", "Settings",
           "UploadedFile", "request"]
