"""The dev server and the static preview server, one module per concern.

- `watch`: file-system events -> batches of changed paths
- `rebuild`: a batch of changes -> a fresh output folder (the engine seam)
- `resolve`: a request path -> a file inside the served folder, never outside
- `static`: files -> responses as a static host sends them (`serve --prod`)
- `reload`: rebuilds -> server-sent events, and the client script pages get
- `errorpage`: a failed build -> the page shown until it is fixed
- `httpd`: sockets <-> Request/Response records; `report`: console lines
- `dev`, `prod`: the two commands, wiring the above together

Nothing is imported here, so `islandgen build` never loads the server.
"""
