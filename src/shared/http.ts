/**
 * The browser-mode wire protocol, shared by the host (src/cli/serve.ts) and the renderer's HTTP
 * transport. Calls: `POST /api/call/<command>` with the JSON input as body and the launch token in
 * the `X-Aisle-Token` header; the reply is a contract Reply as JSON. Pushes: `GET /api/events?token=`
 * as server-sent events (`event: <name>`, `data: <json>`); EventSource cannot send headers, hence
 * the query parameter. The page learns the token from the URL fragment (`#token=…`), which browsers
 * never send to servers or put in Referer headers.
 */
export const CALL_PREFIX = '/api/call/';
export const EVENTS_PATH = '/api/events';
export const TOKEN_HEADER = 'x-aisle-token';
/** Request bodies above this are refused with 413 (files are imported as text in the body). */
export const MAX_BODY_BYTES = 80 * 1024 * 1024;
