import { AsyncLocalStorage } from "node:async_hooks";
import type { PluginContext } from "./plugin-context.js";

/** A downstream HTTP request a plugin is about to send (a `Request` is one). */
export interface DownstreamRequest {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** The URL requested. */
  readonly url: string | URL;
  /** The request's headers; trace context headers (`traceparent`, …) are added to them. */
  readonly headers: Headers;
}

/** What a downstream request ended with: a response (only its status and headers are read) or an error. */
export type DownstreamOutcome = Pick<Response, "status" | "headers"> | Error | unknown;

/** One downstream request being observed: end it once, when its response headers or an error arrived. */
export interface DownstreamObservation {
  /** Ends the request's span and counts it, with the response's status or the error. */
  end(outcome: DownstreamOutcome): void;
  /** Records the response body's size in bytes once it has been read (`plugins_datasource_response_size_bytes`). */
  responseSize(bytes: number): void;
}

/** Observes downstream requests of one call: the call's tracing and metrics. @private */
export type DownstreamObserver = (request: DownstreamRequest, call: DownstreamCall) => DownstreamObservation;

/** The call a downstream request is made in, for metrics labels. */
export interface DownstreamCall {
  /** The handler: `queryData`, `checkHealth`, `callResource`, … */
  endpoint: string;
  /** The call's plugin context, once parsed. */
  pluginContext: PluginContext | undefined;
}

/** The call being run, with its observers. @private */
export interface ActiveCall extends DownstreamCall {
  observers: readonly DownstreamObserver[];
}

/**
 * The call each piece of async work belongs to. A Node.js `AsyncLocalStorage`: a client built once
 * in `createInstance` and used by many calls still finds the call each request is made in, as the
 * Go SDK finds it in the request's `context.Context`. @private
 */
export const activeCall = new AsyncLocalStorage<ActiveCall>();

const unobserved: DownstreamObservation = { end() {}, responseSize() {} };

/**
 * Observes a downstream HTTP request made while a handler runs: starts its child span of the
 * call's span and puts the trace context (`traceparent`, or the configured propagators' headers)
 * in `request.headers`, and counts it in the `plugins_datasource_request_*` metrics, as the Go SDK's
 * tracing and datasource metrics HTTP middlewares do. Call `end` once with the response (when its
 * headers arrived) or the error, and `responseSize` once its body has been read. Outside a call
 * (at start-up, in a timer) it does nothing. HTTP clients call it for you (`@gfsdk/http-client`);
 * use it for a client of your own:
 *
 * ```ts
 * const request = new Request(url, { headers });
 * const observation = observeDownstreamRequest(request);
 * try {
 *   const response = await fetch(request);
 *   observation.end(response);
 *   return response;
 * } catch (error) {
 *   observation.end(error);
 *   throw error;
 * }
 * ```
 */
export function observeDownstreamRequest(request: DownstreamRequest): DownstreamObservation {
  const call = activeCall.getStore();
  if (!call || call.observers.length === 0) return unobserved;
  const observations = call.observers.map((observe) => observe(request, call));
  let ended = false;
  return {
    end(outcome) {
      if (ended) return;
      ended = true;
      for (const o of observations) o.end(outcome);
    },
    responseSize(bytes) {
      for (const o of observations) o.responseSize(bytes);
    },
  };
}
