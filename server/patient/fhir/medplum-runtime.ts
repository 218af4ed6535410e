// @medplum/core reads WebSocket.CLOSING and WebSocket.CLOSED when it loads.
// Node 22+ has a global WebSocket; Node 20 only behind --experimental-websocket.
// We use Medplum for validation only and never open a socket, so on Node 20 the
// two constants are all it needs. Imported before @medplum/core.
const globals = globalThis as { WebSocket?: unknown };
globals.WebSocket ??= { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };
