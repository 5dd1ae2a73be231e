-- wrk script: POST an assemble request for the benchmark workspace.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Workspace-ID"] = "bench"
wrk.body = '{"query":"scheduler run queue priority locks","max_tokens":1500,"max_documents":8}'
