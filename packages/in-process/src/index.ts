export type { InProcessClient, InProcessClientOptions } from "./in-process-client.js";
export { createInProcessClient } from "./in-process-client.js";
