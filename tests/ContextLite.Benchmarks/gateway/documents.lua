-- wrk script: a cheap GET that exercises routing and proxying rather than the engine.
wrk.method = "GET"
wrk.headers["X-Workspace-ID"] = "bench"
