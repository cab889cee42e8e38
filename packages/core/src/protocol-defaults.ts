// The transport defaults every adapter shares, defined once so gRPC and Connect cannot drift apart.

/**
 * Largest request message an adapter accepts by default, in bytes: 16 MiB, the Go SDK's and
 * Grafana's gRPC limit. Larger requests fail with RESOURCE_EXHAUSTED; responses are unlimited.
 */
export const defaultMaxMessageBytes = 16 * 1024 * 1024;
