/**
 * The browser-mode wire protocol, shared by the host (src/cli/serve.ts) and the renderer's HTTP
 * transport. Calls: `POST /api/call/<command>` with the JSON input as body and the launch token in
 * the `X-Aisle-Token` header; the reply is a contract Reply as JSON. Pushes: `GET /api/events?token=`
 * as server-sent events (`event: <name>`, `data: <json>`); EventSource cannot send headers, hence
 * the query parameter. The page learns the token from the URL fragment (`#token=…`), which browsers
 * never send to servers or put in Referer headers.
 *
 * The link Aisle opens in a browser itself carries a one-time code instead (`#once=…`): a command
 * line is readable by every local user for as long as the browser it started runs. The page trades
 * the code for the token at `POST /api/once` (the code in the `X-Aisle-Once` header), which answers
 * `{ "token": … }` once, within ONCE_TTL_MS of the link's making.
 */
import { MAX_FILE_CHARS } from './contract';

export const CALL_PREFIX = '/api/call/';
export const EVENTS_PATH = '/api/events';
export const TOKEN_HEADER = 'x-aisle-token';
export const ONCE_PATH = '/api/once';
export const ONCE_HEADER = 'x-aisle-once';
/** A one-time link is good for this long after it is made (a browser cold-starting on a slow laptop). */
export const ONCE_TTL_MS = 120_000;
/**
 * Request bodies above this are refused with 413 (files are imported as text in the body). Sized
 * from the contract's limit on a file's characters: each may take up to 6 bytes in a JSON body (a
 * control character's \u escape; 3 for UTF-8 beyond Latin, 2 for an escaped quote), so every file
 * the contract takes, and the Electron door imports, fits; 80 MiB refused a 60 Mi character CSV of
 * quotes or Chinese names in the browser mode only, with a message naming no file.
 */
export const MAX_BODY_BYTES = 6 * MAX_FILE_CHARS + 1024 * 1024;

/**
 * A run's metrics CSV, streamed: `GET /api/metrics-csv/<run id>` with the token in the
 * `X-Aisle-Token` header answers the CSV itself (Content-Disposition: attachment), written in
 * pieces as it is made, so the host never holds it whole nor as JSON, and the run's episodes and
 * number of metrics in EPISODES_HEADER and METRICS_HEADER; a refusal is a contract Reply as JSON.
 */
export const METRICS_CSV_PATH = '/api/metrics-csv/';
export const EPISODES_HEADER = 'x-aisle-episodes';
export const METRICS_HEADER = 'x-aisle-metrics';
