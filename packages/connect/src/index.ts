export type { ConnectHandler, ConnectHandlerOptions } from "./connect-handler.js";
export { createConnectHandler } from "./connect-handler.js";
export type { ConnectPluginClientOptions } from "./connect-plugin-client.js";
export { createConnectPluginClient } from "./connect-plugin-client.js";
export type { ConnectServer, ServeConnectOptions } from "./serve-connect.js";
export { serveConnect } from "./serve-connect.js";
